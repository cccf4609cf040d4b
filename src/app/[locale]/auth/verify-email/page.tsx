import { MailLinkPage, mailLinkMetadata, type MailLinkProps } from "@/components/auth/mail-link-page";
import { VerifyEmailForm } from "@/components/verify-email/verify-email-form";
import { taskTypes } from "@/services/tasks/registry";

export const dynamic = "force-dynamic";

export const generateMetadata = (props: MailLinkProps) => mailLinkMetadata(props, "auth.verify");

// The mailed confirmation link opens this page; nothing changes until its one button is pressed.
export default function VerifyEmailPage(props: MailLinkProps) {
  return <MailLinkPage props={props} namespace="auth.verify" missingToken="result.unknown" form={(token) => <VerifyEmailForm token={token} start={`/tasks/${taskTypes()[0].slug}`} />} />;
}
