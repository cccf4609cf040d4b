import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { Alert } from "@/components/ui/alert";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "auth.reset" }))("title"), referrer: "no-referrer" };
}

// The mailed link opens this page; nothing changes until the form is submitted.
export default async function ResetPasswordPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("auth.reset");
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("subtitle")}</p>
      <div className="mt-6 space-y-4 rounded-xl border border-slate-200 p-6">
        {typeof token === "string" && token ? (
          <ClientMessages namespaces={["auth"]}>
            <ResetPasswordForm token={token} />
          </ClientMessages>
        ) : (
          <Alert tone="error">{t("missingToken")}</Alert>
        )}
      </div>
    </div>
  );
}
