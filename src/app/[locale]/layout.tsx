import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { headers } from "next/headers";
import { connection } from "next/server";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AppSidebar } from "@/components/layout/app-sidebar";
import { appNavigation } from "@/components/layout/nav";
import { SiteFooter } from "@/components/site-footer";
import { SiteHeader } from "@/components/site-header";
import { ToasterOnDemand } from "@/components/ui/toast";
import { VerifyEmailNotice } from "@/components/verify-email/verify-email-notice";
import { siteConfig, TITLE_TEMPLATE } from "@/config/site";
import { routing } from "@/i18n/routing";
import { appOrigin } from "@/lib/app-url";
import { getCurrentUser } from "@/lib/auth/current-user";
import { pageMetadata } from "@/lib/page-metadata";
import { THEME_SCRIPT } from "@/lib/theme";
import "../globals.css";

export function generateStaticParams() {
  return routing.locales.map((locale) => ({ locale }));
}

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "home.meta" });
  // The landing page's title is the default: "Brand — tagline"; its social card is the brand's.
  // Pages set their own title (and card, pageMetadata); the template makes it "Page — Brand".
  const description = t("description");
  const defaults = pageMetadata({ locale, card: "home", description });
  return {
    ...defaults,
    metadataBase: new URL(await appOrigin()),
    title: { default: t("title", { brand: siteConfig.name }), template: TITLE_TEMPLATE },
    applicationName: siteConfig.name,
    openGraph: { ...defaults.openGraph, title: t("title", { brand: siteConfig.name }) },
    twitter: { ...defaults.twitter, title: t("title", { brand: siteConfig.name }) },
  };
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
  // The same nonce Next.js puts on its scripts: the theme's no-flash script needs it too.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  // Signed in: the app's pages get the sidebar (from lg; phones use the header's menu).
  const [user, nav, t] = await Promise.all([getCurrentUser(), appNavigation(), getTranslations("common.nav")]);
  return (
    // The theme script sets the `dark` class on <html> before hydration.
    <html lang={locale} suppressHydrationWarning>
      <body className="flex min-h-screen flex-col">
        {/* Before any content: the stored or the system's theme, with no flash of the other (src/lib/theme.ts). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        {/* The first Tab stop: past the header (and the sidebar) straight to the page. */}
        <a
          href="#main"
          className="focus-ring sr-only rounded-md bg-background px-4 py-2 text-sm font-medium text-foreground shadow-md focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
          data-testid="skip-to-content"
        >
          {t("skipToContent")}
        </a>
        {/* The shared chrome is server-rendered; its few client parts get their words as props, so
            no page loads next-intl's client for the chrome. Pages that need translated client
            components wrap them in ClientMessages (src/i18n/client-messages.tsx). */}
        <SiteHeader />
        <VerifyEmailNotice />
        <div className="flex flex-1">
          {user && <AppSidebar nav={nav} labels={{ generate: t("generate"), app: t("manage"), nav: t("sidebar") }} />}
          <main id="main" tabIndex={-1} className="min-w-0 flex-1 outline-none">
            {children}
          </main>
        </div>
        <SiteFooter />
        <ToasterOnDemand />
      </body>
    </html>
  );
}
