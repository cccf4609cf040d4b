import { ok, parseJson, route } from "@/lib/http/api";
import { clearSessionCookies, requireUser } from "@/lib/auth/current-user";
import { deleteAccountInput, updateAccountInput } from "@/lib/schemas/account";
import { updateAccount } from "@/services/accounts/settings";
import { deleteAccount } from "@/services/accounts/deletion";

export const dynamic = "force-dynamic";

// Account settings: { name } (empty clears it).
export const PATCH = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, updateAccountInput);
  return ok({ user: { uuid: user.uuid, ...(await updateAccount(user.uuid, input)) } });
});

// Deletes the account: { currentPassword } (accounts with a password) or { confirm: "<your email>" }
// (accounts without one). Personal data and stored outputs go, the ledger and orders stay
// anonymized, every session ends (src/services/accounts/deletion.ts). 409 while a
// subscription renews or a task runs.
export const DELETE = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, deleteAccountInput);
  const result = await deleteAccount({ userUuid: user.uuid, ...input });
  const res = ok({ deleted: true, ...result });
  clearSessionCookies(res);
  return res;
});
