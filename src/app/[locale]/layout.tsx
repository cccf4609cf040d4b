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
import { ThemeProvider } from "@/components/theme-provider";
import { ToasterOnDemand } from "@/components/ui/toast";
import { VerifyEmailNotice } from "@/components/verify-email/verify-email-notice";
import { siteConfig, TITLE_TEMPLATE } from "@/config/site";
import { ClientMessages } from "@/i18n/client-messages";
import { routing } from "@/i18n/routing";
import { getCurrentUser } from "@/lib/current-user";
import "../globals.css";

export function generateStaticParams() {
  return routing.locales.map((locale) => ({ locale }));
}

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "home.meta" });
  // The landing page's title is the default: "Brand — tagline".
  // Pages set their own title; the template makes it "Page — Brand".
  return {
    title: { default: t("title", { brand: siteConfig.name }), template: TITLE_TEMPLATE },
    description: t("description"),
    applicationName: siteConfig.name,
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
    // next-themes sets class/style on <html> before hydration.
    <html lang={locale} suppressHydrationWarning>
      <body className="flex min-h-screen flex-col">
        <ThemeProvider nonce={nonce}>
          {/* What the shared chrome's client components read (the locale switch, the theme menu)
              and the error boundary (error.tsx); the header's links and the footer are server-
              rendered and need no messages here. Pages add theirs (ClientMessages). */}
          <ClientMessages namespaces={["common.locale", "common.theme", "common.errors"]}>
            {/* The first Tab stop: past the header (and the sidebar) straight to the page. */}
            <a
              href="#main"
              className="sr-only rounded-md bg-background px-4 py-2 text-sm font-medium text-foreground shadow-md outline-none focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus-visible:ring-[3px] focus-visible:ring-ring/50"
              data-testid="skip-to-content"
            >
              {t("skipToContent")}
            </a>
            <SiteHeader />
            <VerifyEmailNotice />
            <div className="flex flex-1">
              {user && <AppSidebar nav={nav} labels={{ generate: t("generate"), app: t("manage"), nav: t("sidebar") }} />}
              <main id="main" tabIndex={-1} className="min-w-0 flex-1 outline-none">{children}</main>
            </div>
            <SiteFooter />
            <ToasterOnDemand />
          </ClientMessages>
        </ThemeProvider>
      </body>
    </html>
  );
}
