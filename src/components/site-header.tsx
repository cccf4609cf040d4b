import { getTranslations } from "next-intl/server";
import { Link } from "@/i18n/navigation";
import { taskTypes } from "@/services/tasks/registry";
import { AccountMenu } from "./account-menu";
import { LocaleSwitch } from "./locale-switch";

export async function SiteHeader() {
  const t = await getTranslations("common");
  const typeT = await getTranslations("taskTypes");
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="text-lg font-semibold text-brand-700">
          {t("brand")}
        </Link>
        <nav className="flex flex-wrap items-center gap-4 text-sm text-slate-700">
          {/* One link per registered task type: its generator page. */}
          {taskTypes().map((d) => (
            <Link key={d.type} href={`/tasks/${d.slug}`} className="hover:text-brand-700" data-testid={`nav-${d.slug}`}>
              {typeT(`${d.type}.name`)}
            </Link>
          ))}
          <Link href="/tasks" className="hover:text-brand-700">
            {t("nav.tasks")}
          </Link>
          <Link href="/credits" className="hover:text-brand-700">
            {t("nav.credits")}
          </Link>
          <LocaleSwitch />
          <AccountMenu />
        </nav>
      </div>
    </header>
  );
}
