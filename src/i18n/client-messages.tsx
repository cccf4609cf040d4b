import { NextIntlClientProvider, type AbstractIntlMessages } from "next-intl";
import { getMessages } from "next-intl/server";

/**
 * The messages under the given paths ("billing" or "billing.buy"), in their nested shape.
 * A path that names nothing throws: a page listing a namespace that does not exist is a bug.
 */
export function pickMessages(messages: AbstractIntlMessages, paths: readonly string[]): AbstractIntlMessages {
  const picked: AbstractIntlMessages = {};
  for (const path of paths) {
    const keys = path.split(".");
    let from: AbstractIntlMessages | string | undefined = messages;
    let into = picked;
    keys.forEach((key, i) => {
      from = typeof from === "object" ? from[key] : undefined;
      if (from === undefined) throw new Error(`No messages at "${path}"`);
      if (i === keys.length - 1) into[key] = from;
      else into = (into[key] ??= {}) as AbstractIntlMessages;
    });
  }
  return picked;
}

/**
 * Gives the client components below it the messages under `namespaces`, and only those:
 * whatever a provider carries is serialized into the page's HTML on every load. Server
 * components read all messages through getTranslations and need no provider.
 *
 * A provider replaces (does not extend) the one above it, so list every namespace the
 * client components inside use (their useTranslations("<namespace>...") calls). The root
 * layout's provider carries `common` for the header and footer's client components.
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly string[]; children: React.ReactNode }) {
  const messages = await getMessages();
  return <NextIntlClientProvider messages={pickMessages(messages, namespaces)}>{children}</NextIntlClientProvider>;
}
