import { ok, parseJson, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { updateAccount, updateAccountInput } from "@/services/account";

export const dynamic = "force-dynamic";

// Account settings: { name } (empty clears it).
export const PATCH = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, updateAccountInput);
  return ok({ user: { uuid: user.uuid, ...(await updateAccount(user.uuid, input)) } });
});
