import type { Metadata } from "next";
import { setRequestLocale } from "next-intl/server";
import { MagicLinkConfirm } from "@/components/auth/magic-link-confirm";
import { MailedLinkPage, mailedLinkMetadata } from "@/components/auth/mailed-link-page";
import { safeCallbackUrl } from "@/lib/callback-url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[]; callbackUrl?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return mailedLinkMetadata((await params).locale, "auth.magicLink");
}

// The mailed sign-in link opens this page; nothing happens until its button is pressed
// (mail scanners prefetch links, and would otherwise use the single-use token up).
export default async function MagicLinkPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const { token, callbackUrl } = await searchParams;
  const target = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined, `/${locale}/credits`);
  return <MailedLinkPage namespace="auth.magicLink" token={token} form={(t) => <MagicLinkConfirm token={t} callbackUrl={target} />} />;
}
