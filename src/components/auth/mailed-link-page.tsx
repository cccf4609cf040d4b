import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

// The frame of every page a mailed link opens (reset password, magic link, email change):
// the title and subtitle of `namespace`, then the page's one-click form when the link
// carries a token, else `missingToken`. The token never leaks through a Referer.

export async function mailedLinkMetadata(locale: string, namespace: string): Promise<Metadata> {
  return { title: (await getTranslations({ locale, namespace }))("title"), referrer: "no-referrer" };
}

export async function MailedLinkPage({
  namespace,
  token,
  form,
}: {
  namespace: string;
  token: string | string[] | undefined;
  form: (token: string) => ReactNode;
}) {
  const t = await getTranslations(namespace);
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("subtitle")}</p>
      <div className="mt-6 space-y-4 rounded-xl border border-slate-200 p-6">
        {typeof token === "string" && token ? form(token) : <Alert tone="error">{t("missingToken")}</Alert>}
      </div>
    </div>
  );
}
