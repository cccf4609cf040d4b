import { ok, parseJson, route } from "@/lib/http/api";
import { renewedSessionCookie, requireUser, setSessionCookie } from "@/lib/auth/current-user";
import { changePasswordInput } from "@/lib/schemas/account";
import { changePassword } from "@/services/accounts/settings";

export const dynamic = "force-dynamic";

// Changes the password (asks the current one); every other session of the user ends, this one goes on.
export const POST = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, changePasswordInput);
  const { sessionVersion } = await changePassword({ userUuid: user.uuid, ...input });
  const res = ok({ changed: true });
  setSessionCookie(res, await renewedSessionCookie(sessionVersion));
  return res;
});
