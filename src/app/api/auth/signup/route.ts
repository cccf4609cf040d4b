import { ok, parseJson, route } from "@/lib/api";
import { clientIp } from "@/lib/client-ip";
import { emailVerificationRequired, queueVerificationMail } from "@/services/email-verification";
import { checkSignUpRateLimit, createUser, signUpInput } from "@/services/users";

export const dynamic = "force-dynamic";

// 201 with the new account; 409 when the email is taken; 429 over the sign-up limits.
// `verification`: "mail_sent" (the welcome credits come with the confirmed email) or
// "not_required" (EMAIL_VERIFICATION=off: they are already there).
export const POST = route(async (request) => {
  const input = await parseJson(request, signUpInput);
  await checkSignUpRateLimit({ ip: clientIp(request.headers) });
  const user = await createUser(input);
  const mailed = emailVerificationRequired();
  if (mailed) queueVerificationMail(user, input.locale);
  return ok(
    { user: { uuid: user.id, email: user.email, name: user.name }, verification: mailed ? "mail_sent" : "not_required" },
    { status: 201 },
  );
});
