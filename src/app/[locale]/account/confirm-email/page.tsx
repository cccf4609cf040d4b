import { ConfirmEmailChange } from "@/components/account/confirm-email-change";
import { MailLinkPage, mailLinkMetadata, type MailLinkProps } from "@/components/auth/mail-link-page";

export const dynamic = "force-dynamic";

export const generateMetadata = (props: MailLinkProps) => mailLinkMetadata(props, "account.confirmEmail");

// The link mailed to a new address opens this page (signed in or not); nothing changes
// until its button is pressed (mail scanners prefetch links).
export default function ConfirmEmailPage(props: MailLinkProps) {
  return <MailLinkPage props={props} namespace="account.confirmEmail" form={(token) => <ConfirmEmailChange token={token} />} />;
}
