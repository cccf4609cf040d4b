import { getTranslations } from "next-intl/server";
import { siteConfig } from "@/config/site";
import { Link } from "@/i18n/navigation";
import { taskTypes } from "@/services/tasks/registry";
import { AccountMenu } from "./account-menu";
import { LocaleSwitch } from "./locale-switch";
import { ThemeToggle } from "./theme-toggle";

export async function SiteHeader() {
  const t = await getTranslations("common");
  const typeT = await getTranslations("taskTypes");
  return (
    <header className="border-b bg-background">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="rounded-md text-lg font-semibold text-primary outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:text-foreground">
          {siteConfig.name}
        </Link>
        <nav className="flex flex-wrap items-center gap-4 text-sm text-muted-foreground">
          {/* One link per registered task type: its generator page. */}
          {taskTypes().map((d) => (
            <Link key={d.type} href={`/tasks/${d.slug}`} className="hover:text-foreground" data-testid={`nav-${d.slug}`}>
              {typeT(`${d.type}.name`)}
            </Link>
          ))}
          <Link href="/tasks" className="hover:text-foreground">
            {t("nav.tasks")}
          </Link>
          <Link href="/credits" className="hover:text-foreground">
            {t("nav.credits")}
          </Link>
          <LocaleSwitch />
          <ThemeToggle />
          <AccountMenu />
        </nav>
      </div>
    </header>
  );
}
