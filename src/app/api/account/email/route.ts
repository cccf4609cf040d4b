import { ok, parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { changeEmailInput } from "@/lib/schemas/account";
import { requestEmailChange } from "@/services/accounts/email-change";

export const dynamic = "force-dynamic";

// Asks to change the email: { email, currentPassword (accounts with a password), locale? }.
// A confirmation link goes to the new address; nothing changes until it is used.
// 400 naming the field, 409 when the address belongs to another account, 429.
export const POST = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, changeEmailInput);
  return ok({ sent: true, ...(await requestEmailChange({ userUuid: user.uuid, ...input })) });
});
