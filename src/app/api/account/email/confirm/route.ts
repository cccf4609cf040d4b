import { ok, parseJson, route } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { getCurrentUser, renewedSessionCookie, setSessionCookie } from "@/lib/auth/current-user";
import { confirmEmailChangeInput } from "@/lib/schemas/account";
import { confirmEmailChange } from "@/services/accounts/email-change";

export const dynamic = "force-dynamic";

// Confirms an email change with the mailed token: { token, locale? }. No session needed (the link
// may be opened on another device); every session of the user ends, except this browser's
// when it is signed in as that user. 400 naming `token`, 409 when the address was taken meanwhile,
// 429 over the token routes' limit (TOKEN_RATE_LIMIT_*).
export const POST = route(async (request) => {
  const input = await parseJson(request, confirmEmailChangeInput);
  const current = await getCurrentUser();
  const changed = await confirmEmailChange({ ...input, ip: clientIp(request.headers) });
  const res = ok({ changed: true, email: changed.email });
  if (current?.uuid === changed.userUuid) setSessionCookie(res, await renewedSessionCookie(changed.sessionVersion, { email: changed.email }));
  return res;
});
