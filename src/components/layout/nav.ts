import { getTranslations } from "next-intl/server";
import { taskTypes } from "@/services/tasks/registry";

/** A navigation entry: where it goes, what it says, and its test id. */
export interface NavItem {
  href: string;
  label: string;
  testId: string;
}

/** The signed-in app's sections, in sidebar order (one generator per registered task type). */
export interface AppNavigation {
  generate: NavItem[];
  app: NavItem[];
}

/** The app's navigation, translated: the sidebar, the phone menu and the header read it. */
export async function appNavigation(): Promise<AppNavigation> {
  const t = await getTranslations("common.nav");
  const typeT = await getTranslations("taskTypes");
  return {
    generate: taskTypes().map((d) => ({ href: `/tasks/${d.slug}`, label: typeT(`${d.type}.name`), testId: d.slug })),
    app: [
      { href: "/tasks", label: t("tasks"), testId: "tasks" },
      { href: "/credits", label: t("credits"), testId: "credits" },
      { href: "/orders", label: t("orders"), testId: "orders" },
      { href: "/account", label: t("account"), testId: "account" },
    ],
  };
}

/** Paths (locale prefix removed) that are part of the signed-in app and get its sidebar. */
export const APP_PATHS = ["/tasks", "/credits", "/orders", "/account"] as const;

export function isAppPath(pathname: string): boolean {
  return APP_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
