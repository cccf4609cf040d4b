import { MenuIcon, MoonIcon, SunIcon } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { siteConfig } from "@/config/site";
import { Link } from "@/i18n/navigation";
import { routing } from "@/i18n/routing";
import { AccountMenu, AccountMenuSheet } from "./account-menu";
import { MobileNav } from "./layout/mobile-nav";
import { appNavigation } from "./layout/nav";
import { NavLink } from "./layout/nav-link";
import { LocaleSwitch } from "./locale-switch";
import { LogoMark } from "./logo";
import { ThemeToggle } from "./theme-toggle";
import { buttonClass } from "./ui/button";

const HEADER_LINK =
  "focus-ring rounded-md px-3 py-2 text-sm text-muted-foreground hover:text-foreground aria-[current=page]:font-medium aria-[current=page]:text-foreground";

/**
 * One row, 56 px high at every width. From `lg`: the generators, My tasks, Credits and
 * Pricing inline, then language, theme and account. Below: a menu button (a Sheet with
 * every destination, language, theme and account), the brand and the balance or sign-up.
 *
 * Server-rendered; its client parts (menu button, language, theme, links) get their words,
 * classes and icons as props, so the header ships no translation runtime, class utilities or
 * icon library to the browser (docs/benchmarks.md, "Page budgets").
 */
export async function SiteHeader() {
  const t = await getTranslations("common");
  const nav = await appNavigation();
  const inline = [...nav.generate.map((item) => ({ ...item, testId: `nav-${item.testId}` })), { href: "/tasks", label: t("nav.tasks"), testId: "nav-tasks" }, { href: "/credits", label: t("nav.credits"), testId: "nav-credits" }, { href: "/pricing", label: t("nav.pricing"), testId: "nav-pricing" }];
  const iconButton = buttonClass("ghost", "", "icon");
  const locale = <LocaleSwitch label={t("locale.label")} names={Object.fromEntries(routing.locales.map((l) => [l, t(`locale.${l}`)]))} />;
  const theme = (
    <ThemeToggle
      labels={{ label: t("theme.label"), light: t("theme.light"), dark: t("theme.dark"), system: t("theme.system") }}
      className={buttonClass("ghost", "relative", "icon")}
      icon={
        <>
          <SunIcon className="scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" aria-hidden />
          <MoonIcon className="absolute scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0" aria-hidden />
        </>
      }
    />
  );
  return (
    <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80" data-testid="site-header">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-4">
        <MobileNav
          nav={nav}
          extra={[
            { href: "/", label: t("nav.home"), testId: "home" },
            { href: "/pricing", label: t("nav.pricing"), testId: "pricing" },
          ]}
          labels={{
            open: t("nav.openMenu"),
            close: t("nav.closeMenu"),
            title: t("nav.menu"),
            description: t("nav.menuDescription"),
            generate: t("nav.generate"),
            app: t("nav.manage"),
          }}
          className={`${iconButton} -ml-2 lg:hidden`}
          icon={<MenuIcon className="size-5" aria-hidden />}
        >
          <div className="flex items-center justify-between gap-2">
            {locale}
            {theme}
          </div>
          <AccountMenuSheet />
        </MobileNav>
        <Link href="/" className="focus-ring mr-2 flex min-w-0 items-center gap-2 rounded-md text-lg font-semibold text-foreground" data-testid="brand">
          <LogoMark id="header" className="size-7 shrink-0" />
          <span className="truncate">{siteConfig.name}</span>
        </Link>
        <nav aria-label={t("nav.label")} className="hidden items-center lg:flex">
          {inline.map((item) => (
            <NavLink key={item.href} href={item.href} className={HEADER_LINK} data-testid={item.testId}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <div className="hidden items-center gap-1 lg:flex">
            {locale}
            {theme}
          </div>
          <AccountMenu />
        </div>
      </div>
    </header>
  );
}
