import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { ClientMessages } from "@/i18n/client-messages";

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
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-muted-foreground">{t("subtitle")}</p>
      <div className="mt-6 space-y-4 rounded-xl border bg-card p-6">
        {typeof token === "string" && token ? (
          <ClientMessages namespaces={clientNamespaces(namespace)}>{form(token)}</ClientMessages>
        ) : <Alert tone="error">{t(missingToken)}</Alert>}
      </div>
    </div>
  );
}
