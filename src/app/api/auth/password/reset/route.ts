import { ok, parseJson, route } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { resetPassword, resetPasswordInput } from "@/services/accounts/password-reset";

export const dynamic = "force-dynamic";

// A new password with the mailed token; every session of the user ends. 400 names token or
// password; 429 over the token routes' limit (TOKEN_RATE_LIMIT_*).
export const POST = route(async (request) => {
  const input = await parseJson(request, resetPasswordInput);
  await resetPassword({ ...input, ip: clientIp(request.headers) });
  return ok({ reset: true });
});
