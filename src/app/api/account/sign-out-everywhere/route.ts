import { ok, route } from "@/lib/api";
import { clearSessionCookies, requireUser } from "@/lib/current-user";
import { bumpSessionVersion } from "@/services/sessions";

export const dynamic = "force-dynamic";

// Ends every session of the signed-in user, this one included (every device must sign in again).
export const POST = route(async () => {
  const user = await requireUser();
  await bumpSessionVersion(user.uuid);
  const res = ok({ signedOut: true });
  clearSessionCookies(res);
  return res;
});
