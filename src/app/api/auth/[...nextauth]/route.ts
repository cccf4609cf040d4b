import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { route } from "@/lib/api";
import { checkSignInRateLimit } from "@/services/sign-in-limits";

export const dynamic = "force-dynamic";

export const GET = handlers.GET;

// Credential sign-ins are rate-limited per email and per IP before next-auth sees them (429 envelope).
export const POST = route(async (request) => {
  if (new URL(request.url).pathname.endsWith("/callback/credentials")) {
    const form = await request.clone().formData().catch(() => null);
    const email = form?.get("email");
    await checkSignInRateLimit({ email: typeof email === "string" ? email : "", ip: clientIp(request) });
  }
  return handlers.POST(request as NextRequest);
});

/** The client's address as reported by the proxy in front of the app (Vercel, nginx, ...). */
function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "unknown";
}
