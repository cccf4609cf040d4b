import { ok, parseJson, route } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { forgotPasswordInput, requestPasswordReset } from "@/services/accounts/password-reset";

export const dynamic = "force-dynamic";

// Always the same 200 for a well-formed email, whether an account has it or not (429 when over the limit).
export const POST = route(async (request) => {
  const input = await parseJson(request, forgotPasswordInput);
  await requestPasswordReset({ ...input, ip: clientIp(request.headers) });
  return ok({ sent: true });
});
