import { getTranslations } from "next-intl/server";
import { WELCOME_CREDITS } from "@/data/credits";
import { ClientMessages } from "@/i18n/client-messages";
import { getCurrentUser } from "@/lib/current-user";
import { needsEmailVerification } from "@/services/email-verification";
import { ResendVerificationButton } from "./resend-button";

/**
 * On every page for a signed-in user whose email is not confirmed yet (EMAIL_VERIFICATION
 * on): what to do, that the welcome credits come with it, and a Resend button.
 */
export async function VerifyEmailNotice() {
  const user = await getCurrentUser();
  const pending = user ? await needsEmailVerification(user.uuid) : null;
  if (!pending) return null;
  const t = await getTranslations("auth.verifyNotice");
  return (
    <div className="border-b border-warning/40 bg-warning/10 text-sm text-foreground" data-testid="verify-email-notice" role="status">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <span>{t("text", { email: pending.email, credits: WELCOME_CREDITS })}</span>
        <ClientMessages namespaces={["auth.verifyNotice"]}>
          <ResendVerificationButton />
        </ClientMessages>
      </div>
    </div>
  );
}
