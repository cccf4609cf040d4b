import { ok, parseJson, route } from "@/lib/api";
import { createUser, signUpInput } from "@/services/users";

export const dynamic = "force-dynamic";

// 201 with the new account (and its welcome credits); 409 when the email is taken.
export const POST = route(async (request) => {
  const input = await parseJson(request, signUpInput);
  const user = await createUser(input);
  return ok({ user: { uuid: user.id, email: user.email, name: user.name } }, { status: 201 });
});
