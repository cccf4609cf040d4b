import { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { route } from "@/lib/api";
import { BODY_LIMITS, withBoundedBody } from "@/lib/body";
import { checkSignInRateLimit } from "@/services/sign-in-limits";

export const dynamic = "force-dynamic";

// Wrapped for the envelope on errors, the query check (a CR/LF callbackUrl is a 400, not
// next-auth's 500) and the API headers; next-auth's own CSRF token guards its POSTs.
export const GET = route((request) => handlers.GET(request as NextRequest), { allowCrossOrigin: true });

// Credential sign-ins are rate-limited per email and per IP before next-auth sees them (429 envelope).
// next-auth reads the body itself: it gets a copy read within BODY_LIMITS.authForm (413 beyond).
// Its POST endpoints carry their own CSRF token, so the same-origin check is left to it.
export const POST = route(async (original) => {
  const request = await withBoundedBody(original, BODY_LIMITS.authForm, (url, init) => new NextRequest(url, init as never));
  if (new URL(request.url).pathname.endsWith("/callback/credentials")) {
    const form = await request.clone().formData().catch(() => null);
    const email = form?.get("email");
    await checkSignInRateLimit({ email: typeof email === "string" ? email : "", ip: clientIp(request) });
  }
  return handlers.POST(request);
}, { allowCrossOrigin: true });

/** The client's address as reported by the proxy in front of the app (Vercel, nginx, ...). */
function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "unknown";
}
