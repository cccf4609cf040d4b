import { hasLocale } from "next-intl";
import { getRequestConfig } from "next-intl/server";
import { taskTypes } from "@/services/tasks/registry";
import { compileMessages } from "./compiled-messages";
import { routing } from "./routing";

/**
 * One catalog file per feature (messages/<locale>/<namespace>.json), so features
 * can be added without editing a shared file. Add a namespace here when you add one.
 */
export const NAMESPACES = ["common", "home", "auth", "credits", "tasks", "billing", "errors", "outbox", "account", "admin", "legal", "webhooks", "docs", "chat", "pageErrors"] as const;

async function loadMessages(locale: string) {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  // Each task type brings its own strings (name, ledger label, page): taskTypes.<type>.*
  const types = Object.fromEntries(taskTypes().map((d) => [d.type, d.labels[locale] ?? d.labels.en]));
  // Compiled on the server (cached per catalog), so no page ships the ICU parser: compiled-messages.ts.
  return compileMessages({ ...Object.fromEntries(entries), taskTypes: types });
}

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  return { locale, messages: await loadMessages(locale) };
});
