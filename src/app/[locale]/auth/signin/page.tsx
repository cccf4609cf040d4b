import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AuthPage } from "@/components/auth/auth-page";
import { PurchaseNote } from "@/components/billing/purchase-note";
import { SignInForm } from "@/components/auth/sign-in-form";
import { ClientMessages } from "@/i18n/client-messages";
import { pageMetadata } from "@/lib/page-metadata";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return pageMetadata({ locale, card: "signin", title: { title: (await getTranslations({ locale, namespace: "auth.meta" }))("signInTitle") }.title });
}

export default async function SignInPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("auth.signIn");
  const { callbackUrl, error } = await searchParams;
  return (
    <ClientMessages namespaces={["auth"]}>
      <AuthPage
        locale={locale}
        callbackUrl={callbackUrl}
        error={error}
        title={t("title")}
        subtitle={t("subtitle")}
        form={(target) => (
          <>
            <PurchaseNote target={target} mode="signIn" />
            <SignInForm callbackUrl={target} />
          </>
        )}
      />
    </ClientMessages>
  );
}
