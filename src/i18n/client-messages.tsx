import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import { pickMessages } from "./pick-messages";

/**
 * Gives the client components below it the messages under `namespaces`, and only those:
 * whatever a provider carries is serialized into the page's HTML on every load. Server
 * components read all messages through getTranslations and need no provider.
 *
 * A provider replaces (does not extend) the one above it, so list every namespace the
 * client components inside use (their useTranslations("<namespace>...") calls). The root
 * layout's provider carries the parts of `common` the shared chrome's client components read.
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly string[]; children: React.ReactNode }) {
  const messages = await getMessages();
  return <NextIntlClientProvider messages={pickMessages(messages, namespaces)}>{children}</NextIntlClientProvider>;
}
