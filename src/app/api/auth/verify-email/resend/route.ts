import { z } from "zod";
import { ok, parseJson, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { resendVerificationMail } from "@/services/email-verification";

export const dynamic = "force-dynamic";

const resendInput = z.object({ locale: z.enum(["en", "zh"], { error: "must be en or zh" }).optional() });

// Mails a new confirmation link to the signed-in user: 401 signed out, 409 already
// verified, 429 beyond the resend limit.
export const POST = route(async (request) => {
  const user = await requireUser();
  const { locale } = await parseJson(request, resendInput);
  await resendVerificationMail({ userUuid: user.uuid, locale });
  return ok({ sent: true });
});
