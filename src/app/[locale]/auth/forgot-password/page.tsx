import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AuthFrame } from "@/components/auth/auth-frame";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { RESET_TOKEN_TTL_MINUTES } from "@/services/accounts/password-reset";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "auth.forgot" }))("title") };
}

export default async function ForgotPasswordPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("auth.forgot");
  return (
    <AuthFrame title={t("title")} subtitle={t("subtitle")}>
      <ClientMessages namespaces={["auth"]}>
        <ForgotPasswordForm locale={locale} minutes={RESET_TOKEN_TTL_MINUTES} />
      </ClientMessages>
      <Link href="/auth/signin" className="block text-center text-sm text-primary underline">
        {t("backToSignIn")}
      </Link>
    </AuthFrame>
  );
}
