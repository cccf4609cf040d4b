import { ok, parseJson, route } from "@/lib/api";
import { resetPassword, resetPasswordInput } from "@/services/password-reset";

export const dynamic = "force-dynamic";

// A new password with the mailed token; every session of the user ends. 400 names token or password.
export const POST = route(async (request) => {
  const input = await parseJson(request, resetPasswordInput);
  await resetPassword(input);
  return ok({ reset: true });
});
