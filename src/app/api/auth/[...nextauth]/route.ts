import { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { route } from "@/lib/api";
import { BODY_LIMITS, withBoundedBody } from "@/lib/body";
import { NotFoundError } from "@/lib/errors";
import { runSignInAttempt } from "@/lib/sign-in-attempt";
import { MAGIC_LINK_PROVIDER_ID } from "@/services/magic-link";

export const dynamic = "force-dynamic";

// Wrapped for the envelope on errors, the query check (a CR/LF callbackUrl is a 400, not
// next-auth's 500) and the API headers; next-auth's own CSRF token guards its POSTs.
export const GET = route((request) => handlers.GET(request as NextRequest), { allowCrossOrigin: true });

// Credential sign-ins are rate-limited inside the Credentials provider's authorize (src/auth.config.ts);
// a refused attempt answers with the 429 envelope and Retry-After. next-auth reads the body
// itself: it gets a copy read within BODY_LIMITS.authForm (413 beyond). Its POST endpoints
// carry their own CSRF token, so the same-origin check is left to it.
// Magic links are asked for through POST /api/auth/magic-link (validation, limits, the
// same answer for every address): Auth.js's own sign-in endpoint for them is closed.
export const POST = route(async (original) => {
  if (new URL(original.url).pathname.endsWith(`/signin/${MAGIC_LINK_PROVIDER_ID}`)) throw new NotFoundError();
  const request = await withBoundedBody(original, BODY_LIMITS.authForm, (url, init) => new NextRequest(url, init as never));
  return runSignInAttempt(() => handlers.POST(request));
}, { allowCrossOrigin: true });
