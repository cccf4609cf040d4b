import { MailLinkPage, mailLinkMetadata, type MailLinkProps } from "@/components/auth/mail-link-page";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const dynamic = "force-dynamic";

export const generateMetadata = (props: MailLinkProps) => mailLinkMetadata(props, "auth.reset");

// The mailed link opens this page; nothing changes until the form is submitted.
export default function ResetPasswordPage(props: MailLinkProps) {
  return <MailLinkPage props={props} namespace="auth.reset" form={(token) => <ResetPasswordForm token={token} />} />;
}
