import type { Metadata } from "next";
import { setRequestLocale } from "next-intl/server";
import { ConfirmEmailChange } from "@/components/account/confirm-email-change";
import { MailedLinkPage, mailedLinkMetadata } from "@/components/auth/mailed-link-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return mailedLinkMetadata((await params).locale, "account.confirmEmail");
}

// The link mailed to a new address opens this page (signed in or not); nothing changes
// until its button is pressed (mail scanners prefetch links).
export default async function ConfirmEmailPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  return <MailedLinkPage namespace="account.confirmEmail" token={(await searchParams).token} form={(token) => <ConfirmEmailChange token={token} />} />;
}
