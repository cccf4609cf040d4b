import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { SiteFooter } from "@/components/site-footer";
import { SiteHeader } from "@/components/site-header";
import { ClientMessages } from "@/i18n/client-messages";
import { routing } from "@/i18n/routing";
import "../globals.css";

export function generateStaticParams() {
  return routing.locales.map((locale) => ({ locale }));
}

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "home.meta" });
  return { title: t("title"), description: t("description") };
}

export default async function LocaleLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ locale: string }>;
}) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  // Every page renders per request: Next.js can only put the proxy's per-request CSP
  // nonce (src/proxy.ts) on its scripts in a dynamic render.
  await connection();
  return (
    <html lang={locale}>
      <body className="flex min-h-screen flex-col">
        {/* Client components of the shared chrome read `common` only; pages add theirs (ClientMessages). */}
        <ClientMessages namespaces={["common"]}>
          <SiteHeader />
          <main className="flex-1">{children}</main>
          <SiteFooter />
        </ClientMessages>
      </body>
    </html>
  );
}
