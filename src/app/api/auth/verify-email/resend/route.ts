import { ok, parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { resendVerificationInput } from "@/lib/schemas/auth";
import { resendVerificationMail } from "@/services/accounts/email-verification";

export const dynamic = "force-dynamic";

// Mails a new confirmation link to the signed-in user: 401 signed out (or the account was
// deleted or disabled: the service reads it now, requireActiveUser), 409 already verified,
// 429 beyond the resend limit.
export const POST = route(async (request) => {
  const user = await requireUser();
  const { locale } = await parseJson(request, resendVerificationInput);
  await resendVerificationMail({ userUuid: user.uuid, locale });
  return ok({ sent: true });
});
