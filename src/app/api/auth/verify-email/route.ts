import { ok, parseJson, route } from "@/lib/api";
import { verifyEmail, verifyEmailInput } from "@/services/email-verification";

export const dynamic = "force-dynamic";

// Confirms the email with the mailed token (the welcome credits come with it, once).
// 400 naming `token` with `data.reason` (unknown, used, expired); nothing changes then.
export const POST = route(async (request) => {
  const { token } = await parseJson(request, verifyEmailInput);
  await verifyEmail(token);
  return ok({ verified: true });
});
