import { ok, parseJson, route } from "@/lib/api";
import { clientIp } from "@/lib/client-ip";
import { checkSignUpRateLimit, createUser, signUpInput } from "@/services/users";

export const dynamic = "force-dynamic";

// 201 with the new account (and its welcome credits); 409 when the email is taken; 429 over the sign-up limits.
export const POST = route(async (request) => {
  const input = await parseJson(request, signUpInput);
  await checkSignUpRateLimit({ ip: clientIp(request.headers) });
  const user = await createUser(input);
  return ok({ user: { uuid: user.id, email: user.email, name: user.name } }, { status: 201 });
});
