/**
 * A new account by email and password, the steps the sign-up route and the sign-up
 * form's Server Action share: the sign-up limits, the user row, and (when emails are
 * verified) the confirmation mail, which brings the welcome credits once confirmed.
 */
import { emailVerificationRequired, queueVerificationMail } from "@/services/accounts/email-verification";
import { assertStrongPassword, checkSignUpRateLimit, createUser, type SignUpInput } from "@/services/accounts/users";

/**
 * Throws TooManyRequestsError over the limits, WeakPasswordError (400 naming `password`)
 * for a password too easy to guess, and ConflictError when the email is taken.
 */
export async function signUp(input: SignUpInput, { ip }: { ip: string | null }) {
  await checkSignUpRateLimit({ ip });
  await assertStrongPassword("password", input.password, { email: input.email, name: input.name });
  const user = await createUser(input);
  const mailed = emailVerificationRequired();
  if (mailed) queueVerificationMail(user, input.locale);
  return { user, verification: mailed ? ("mail_sent" as const) : ("not_required" as const) };
}
