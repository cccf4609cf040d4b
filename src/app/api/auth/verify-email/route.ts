import { ok, parseJson, route } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { verifyEmail, verifyEmailInput } from "@/services/accounts/email-verification";

export const dynamic = "force-dynamic";

// Confirms the email with the mailed token (the welcome credits come with it, once).
// 400 naming `token` with `data.reason` (unknown, used, expired); nothing changes then.
// 429 over the token routes' limit (TOKEN_RATE_LIMIT_*).
export const POST = route(async (request) => {
  const { token } = await parseJson(request, verifyEmailInput);
  await verifyEmail(token, { ip: clientIp(request.headers) });
  return ok({ verified: true });
});
