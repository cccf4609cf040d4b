import { ok, parseJson, route } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { signUp } from "@/services/accounts/sign-up";
import { signUpInput } from "@/services/accounts/users";

export const dynamic = "force-dynamic";

// 201 with the new account; 409 when the email is taken; 429 over the sign-up limits.
// `verification`: "mail_sent" (the welcome credits come with the confirmed email) or
// "not_required" (EMAIL_VERIFICATION=off: they are already there).
export const POST = route(async (request) => {
  const input = await parseJson(request, signUpInput);
  const { user, verification } = await signUp(input, { ip: clientIp(request.headers) });
  return ok({ user: { uuid: user.id, email: user.email, name: user.name }, verification }, { status: 201 });
});
