import { getTranslations } from "next-intl/server";
import type { ResendLabels } from "./resend-button";

/** The Resend button's words in the request's language, for server components that render it. */
export async function resendLabels(): Promise<ResendLabels> {
  const t = await getTranslations("auth.verifyNotice");
  return { resend: t("resend"), resending: t("resending"), sent: t("sent"), limited: t("limited"), already: t("already"), failed: t("failed") };
}
