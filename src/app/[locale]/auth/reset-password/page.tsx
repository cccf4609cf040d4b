import type { Metadata } from "next";
import { setRequestLocale } from "next-intl/server";
import { MailedLinkPage, mailedLinkMetadata } from "@/components/auth/mailed-link-page";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return mailedLinkMetadata((await params).locale, "auth.reset");
}

// The mailed link opens this page; nothing changes until the form is submitted.
export default async function ResetPasswordPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  return <MailedLinkPage namespace="auth.reset" token={(await searchParams).token} form={(token) => <ResetPasswordForm token={token} />} />;
}
