import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { WebhooksManager } from "@/components/webhooks/webhooks-manager";
import { ClientMessages } from "@/i18n/client-messages";
import { requirePageUser } from "@/lib/auth/page-auth";
import { listWebhookEndpoints } from "@/services/webhooks";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "webhooks.meta" }))("title") };
}

export default async function WebhooksPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await requirePageUser(locale, "/account/webhooks");
  const endpoints = await listWebhookEndpoints(user.uuid);
  const t = await getTranslations("webhooks");
  return (
    <div className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="text-sm text-muted-foreground">{t("intro")}</p>
        <p className="text-sm text-muted-foreground">{t("docsHint")}</p>
      </div>
      <ClientMessages namespaces={["webhooks"]}>
        <WebhooksManager initial={endpoints} />
      </ClientMessages>
    </div>
  );
}
