import { signIn } from "@/auth";
import { ok, parseJson, route } from "@/lib/api";
import { safeCallbackUrl } from "@/lib/callback-url";
import { clientIp } from "@/lib/client-ip";
import { MAGIC_LINK_PROVIDER_ID, MAGIC_LINK_TTL_MINUTES, checkMagicLinkRateLimit, magicLinkInput } from "@/services/magic-link";

export const dynamic = "force-dynamic";

// Mails a sign-in link when the account exists: { email, callbackUrl?, locale? }. The answer
// is the same whether it exists or not; 400 for a bad email, 429 over the limits.
// (Auth.js's own POST /api/auth/signin/email is closed: this is the one way in.)
export const POST = route(async (request) => {
  const input = await parseJson(request, magicLinkInput);
  await checkMagicLinkRateLimit({ email: input.email, ip: clientIp(request.headers) });
  const locale = input.locale ?? "en";
  await signIn(MAGIC_LINK_PROVIDER_ID, {
    email: input.email,
    locale,
    redirectTo: safeCallbackUrl(input.callbackUrl, `/${locale}/credits`),
    redirect: false,
  });
  return ok({ sent: true, minutes: MAGIC_LINK_TTL_MINUTES });
});
