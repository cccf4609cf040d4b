import { ok, parseJson, route } from "@/lib/api";
import { renewedSessionCookie, requireUser } from "@/lib/current-user";
import { changePassword, changePasswordInput } from "@/services/account";

export const dynamic = "force-dynamic";

// Changes the password (asks the current one); every other session of the user ends, this one goes on.
export const POST = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, changePasswordInput);
  const { sessionVersion } = await changePassword({ userUuid: user.uuid, ...input });
  const res = ok({ changed: true });
  const cookie = await renewedSessionCookie(sessionVersion);
  if (cookie) {
    res.cookies.set(cookie.name, cookie.value, {
      maxAge: cookie.maxAge,
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: cookie.name.startsWith("__Secure-"),
    });
  }
  return res;
});
