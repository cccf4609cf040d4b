import { siteConfig } from "@/config/site";
import { env } from "@/lib/env";
import en from "../../../messages/en/email.json";
import zh from "../../../messages/zh/email.json";
import { appUrlConfigured } from "@/lib/app-url";
import { messageFormatter } from "@/i18n/compiled-messages";

// Plain-text mails, localized through the same catalogs as the pages (messages/<locale>/email.json).
const CATALOGS = { en, zh } as const;
export type MailLocale = keyof typeof CATALOGS;
export type MailKind = "test" | "verifyEmail" | "passwordReset" | "magicLink" | "changeEmail" | "emailChanged";

export function mailLocale(locale: string | null | undefined): MailLocale {
  return locale === "zh" ? "zh" : "en";
}

/** Subject and body of a mail; `values` fills the template ({link}, {hours}, {minutes}). */
export function renderMail(
  kind: MailKind,
  locale: string | null | undefined,
  values: { link: string } & Record<string, string | number>,
): { subject: string; text: string } {
  const l = mailLocale(locale);
  const t = messageFormatter(l, CATALOGS[l]);
  const brand = siteConfig.name;
  const subject = t(`${kind}.subject`, { brand });
  const body = t(`${kind}.body`, { brand, ...values });
  // The footer names the site the link goes to: APP_URL, or the link's own origin where that is
  // derived from the request (development without APP_URL, src/lib/app-url.ts).
  const site = appUrlConfigured() ? env().APP_URL : linkOrigin(values.link) ?? env().APP_URL;
  return { subject, text: `${body}\n\n${t("footer", { appUrl: site, brand })}\n` };
}

function linkOrigin(link: string): string | null {
  try {
    return new URL(link).origin;
  } catch {
    return null;
  }
}
