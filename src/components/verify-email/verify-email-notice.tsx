import { getLocale, getTranslations } from "next-intl/server";
import { WELCOME_CREDITS } from "@/data/credits";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { needsEmailVerification } from "@/services/accounts/email-verification";
import { ResendVerificationButton } from "./resend-button";
import { resendLabels } from "./resend-labels";

/**
 * On every page for a signed-in user whose email is not confirmed yet (EMAIL_VERIFICATION
 * on): what to do, that the welcome credits come with it, and a Resend button. In development
 * without SMTP_URL the mail is in the dev outbox, not an inbox: the notice links it.
 */
export async function VerifyEmailNotice() {
  const user = await getCurrentUser();
  const pending = user ? await needsEmailVerification(user.uuid) : null;
  if (!pending) return null;
  const t = await getTranslations("auth.verifyNotice");
  return (
    <div className="border-b border-warning/40 bg-warning/10 text-sm text-foreground" data-testid="verify-email-notice" role="status">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <span>
          {t("text", { email: pending.email, credits: WELCOME_CREDITS })}
          {devOutbox() && (
            <>
              {" "}
              <Link href="/dev/outbox" className="font-medium text-foreground underline underline-offset-4" data-testid="verify-dev-outbox">
                {t("devOutbox")}
              </Link>
            </>
          )}
        </span>
        <ResendVerificationButton labels={await resendLabels()} locale={await getLocale()} className={buttonClass("secondary")} />
      </div>
    </div>
  );
}

/** Mails go to the dev outbox (/<locale>/dev/outbox): a development server with no SMTP_URL. */
const devOutbox = () => process.env.NODE_ENV === "development" && !env().SMTP_URL;
