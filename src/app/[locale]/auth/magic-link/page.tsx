import { MagicLinkConfirm } from "@/components/auth/magic-link-confirm";
import { MailLinkPage, mailLinkMetadata, type MailLinkProps } from "@/components/auth/mail-link-page";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const dynamic = "force-dynamic";

type Props = MailLinkProps<{ callbackUrl?: string | string[] }>;

export const generateMetadata = (props: Props) => mailLinkMetadata(props, "auth.magicLink");

// The mailed sign-in link opens this page; nothing happens until its button is pressed
// (mail scanners prefetch links, and would otherwise use the single-use token up).
export default async function MagicLinkPage(props: Props) {
  const { locale } = await props.params;
  const { callbackUrl } = await props.searchParams;
  const target = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined, `/${locale}/credits`);
  return <MailLinkPage props={props} namespace="auth.magicLink" form={(token) => <MagicLinkConfirm token={token} callbackUrl={target} />} />;
}
