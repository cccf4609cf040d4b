import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { bumpSessionVersion } from "@/services/sessions";

export const dynamic = "force-dynamic";

// Ends every session of the signed-in user, this one included (every device must sign in again).
export const POST = route(async () => {
  const user = await requireUser();
  await bumpSessionVersion(user.uuid);
  const res = ok({ signedOut: true });
  for (const name of ["authjs.session-token", "__Secure-authjs.session-token"]) {
    res.cookies.set(name, "", { maxAge: 0, path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  }
  return res;
});
