import { getTranslations } from "next-intl/server";
import { taskTypes } from "@/services/tasks/registry";
import type { AppNavigation } from "./nav-items";

/** The app's navigation, translated: the sidebar, the phone menu and the header read it. */
export async function appNavigation(): Promise<AppNavigation> {
  const t = await getTranslations("common.nav");
  const typeT = await getTranslations("taskTypes");
  return {
    generate: taskTypes().map((d) => ({ href: `/tasks/${d.slug}`, label: typeT(`${d.type}.name`), testId: d.slug })),
    app: [
      { href: "/chat", label: t("chat"), testId: "chat" },
      { href: "/tasks", label: t("tasks"), testId: "tasks" },
      { href: "/credits", label: t("credits"), testId: "credits" },
      { href: "/orders", label: t("orders"), testId: "orders" },
      { href: "/account", label: t("account"), testId: "account" },
    ],
  };
}
