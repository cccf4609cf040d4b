import { getTranslations } from "next-intl/server";
import { siteConfig } from "@/config/site";
import { Link } from "@/i18n/navigation";
import { AccountMenu, AccountMenuSheet } from "./account-menu";
import { MobileNav } from "./layout/mobile-nav";
import { appNavigation } from "./layout/nav";
import { NavLink } from "./layout/nav-link";
import { LocaleSwitch } from "./locale-switch";
import { ThemeToggle } from "./theme-toggle";

const HEADER_LINK =
  "rounded-md px-3 py-2 text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50";

/**
 * One row, 56 px high at every width. From `lg`: the generators, My tasks, Credits and
 * Pricing inline, then language, theme and account. Below: a menu button (a Sheet with
 * every destination, language, theme and account), the brand and the balance or sign-up.
 */
export async function SiteHeader() {
  const t = await getTranslations("common");
  const nav = await appNavigation();
  const inline = [...nav.generate.map((item) => ({ ...item, testId: `nav-${item.testId}` })), { href: "/tasks", label: t("nav.tasks"), testId: "nav-tasks" }, { href: "/credits", label: t("nav.credits"), testId: "nav-credits" }, { href: "/pricing", label: t("nav.pricing"), testId: "nav-pricing" }];
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
        >
          <div className="flex items-center justify-between gap-2">
            <LocaleSwitch />
            <ThemeToggle />
          </div>
          <AccountMenuSheet />
        </MobileNav>
        <Link
          href="/"
          className="mr-2 truncate rounded-md text-lg font-semibold text-primary outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:text-foreground"
        >
          {siteConfig.name}
        </Link>
        <nav aria-label={t("nav.label")} className="hidden items-center lg:flex">
          {inline.map((item) => (
            <NavLink key={item.href} href={item.href} className={HEADER_LINK} activeClassName="font-medium text-foreground" data-testid={item.testId}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <div className="hidden items-center gap-1 lg:flex">
            <LocaleSwitch />
            <ThemeToggle />
          </div>
          <AccountMenu />
        </div>
      </div>
    </header>
  );
}
