import { ok, parseJson, route } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { MAGIC_LINK_TTL_MINUTES, magicLinkInput } from "@/services/accounts/magic-link";
import { requestMagicLink } from "@/services/accounts/sign-in";

export const dynamic = "force-dynamic";

// Mails a sign-in link when the account exists: { email, callbackUrl?, locale? }. The answer
// is the same whether it exists or not; 400 for a bad email, 429 over the limits.
// (Auth.js's own POST /api/auth/signin/email is closed: this and the sign-in page's form are the ways in.)
export const POST = route(async (request) => {
  const input = await parseJson(request, magicLinkInput);
  await requestMagicLink({ ...input, ip: clientIp(request.headers) });
  return ok({ sent: true, minutes: MAGIC_LINK_TTL_MINUTES });
});
