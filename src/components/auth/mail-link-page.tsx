import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { ClientMessages } from "@/i18n/client-messages";
import { AuthFrame } from "./auth-frame";

// The pages a mailed link opens (`?token=…`: reset password, confirm email, magic link,
// email change): a title, a subtitle and the form that uses the token. Nothing changes until
// that form is submitted (mail scanners prefetch links).
type Namespace = "auth.reset" | "auth.verify" | "auth.magicLink" | "account.confirmEmail";
export type MailLinkProps<Search = object> = {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ token?: string | string[] } & Search>;
};

/** Title from `<namespace>.title`; no Referer, so the token never leaves in one. */
export async function mailLinkMetadata({ params }: MailLinkProps, namespace: Namespace): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace }))("title"), referrer: "no-referrer" };
}

/** The forms read their own namespace's root and the shared auth strings. */
const clientNamespaces = (namespace: Namespace) => [...new Set([namespace.split(".")[0], "auth"])];

export async function MailLinkPage({
  props,
  namespace,
  missingToken = "missingToken",
  form,
}: {
  props: MailLinkProps;
  namespace: Namespace;
  /** The message key (in `namespace`) shown when the link has no token. */
  missingToken?: string;
  form: (token: string) => ReactNode;
}) {
  const { locale } = await props.params;
  setRequestLocale(locale);
  const t = await getTranslations(namespace);
  const { token } = await props.searchParams;
  return (
    <AuthFrame title={t("title")} subtitle={t("subtitle")}>
      {typeof token === "string" && token ? (
        <ClientMessages namespaces={clientNamespaces(namespace)}>{form(token)}</ClientMessages>
      ) : <Alert tone="error">{t(missingToken)}</Alert>}
    </AuthFrame>
  );
}
