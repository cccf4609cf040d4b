import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AuthPage } from "@/components/auth/auth-page";
import { PurchaseNote } from "@/components/billing/purchase-note";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { WELCOME_CREDITS } from "@/data/credits";
import { env } from "@/lib/env";
import { ClientMessages } from "@/i18n/client-messages";
import { pageMetadata } from "@/lib/page-metadata";

export const dynamic = "force-dynamic";

/** Where a new account goes when no callbackUrl says otherwise: the text-to-video generator. */
const signUpLanding = (locale: string) => `/${locale}/tasks/text-to-video`;

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ callbackUrl?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return pageMetadata({ locale, card: "signup", title: { title: (await getTranslations({ locale, namespace: "auth.meta" }))("signUpTitle") }.title });
}

export default async function SignUpPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("auth.signUp");
  return (
    <ClientMessages namespaces={["auth"]}>
      <AuthPage
        locale={locale}
        callbackUrl={(await searchParams).callbackUrl}
        // A new account lands on the generator (or where the visitor was going), not back on the marketing page.
        landing={signUpLanding(locale)}
        title={t("title")}
        subtitle={t(env().EMAIL_VERIFICATION ? "subtitleVerify" : "subtitle", { credits: WELCOME_CREDITS })}
        form={(target) => (
          <>
            <PurchaseNote target={target} mode="signUp" />
            <SignUpForm callbackUrl={target} />
          </>
        )}
      />
    </ClientMessages>
  );
}
