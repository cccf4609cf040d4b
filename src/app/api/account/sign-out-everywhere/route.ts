import { ok, route } from "@/lib/http/api";
import { clearSessionCookies, requireUser } from "@/lib/auth/current-user";
import { bumpSessionVersion } from "@/services/accounts/sessions";
import { requireActiveUser } from "@/services/accounts/users";

export const dynamic = "force-dynamic";

// Ends every session of the signed-in user, this one included (every device must sign in again).
export const POST = route(async () => {
  const user = await requireUser();
  await requireActiveUser(user.uuid); // 401 for an account deleted or disabled on another instance
  await bumpSessionVersion(user.uuid);
  const res = ok({ signedOut: true });
  clearSessionCookies(res);
  return res;
});
