import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { route } from "@/lib/api";
import { runSignInAttempt } from "@/lib/sign-in-attempt";

export const dynamic = "force-dynamic";

export const GET = handlers.GET;

// Credential sign-ins are rate-limited inside the Credentials provider's authorize (src/auth.config.ts);
// a refused attempt answers with the 429 envelope and Retry-After.
export const POST = route(async (request) => runSignInAttempt(() => handlers.POST(request as NextRequest)));
