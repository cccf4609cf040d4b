import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ApiKeys } from "@/components/account/api-keys";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { requirePageUser } from "@/lib/auth/page-auth";
import { listApiKeys } from "@/services/api-keys";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "account.apiKeys" }))("title") };
}

export default async function ApiKeysPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await requirePageUser(locale, "/account/api-keys");
  const [keys, t] = await Promise.all([listApiKeys(user.uuid), getTranslations("account.apiKeys")]);
  return (
    <div className="mx-auto max-w-4xl space-y-8 px-4 py-10">
      <div>
        <Link href="/account" className="text-sm text-muted-foreground hover:underline">
          {t("back")}
        </Link>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="mt-2 text-sm text-muted-foreground">{t("intro")}</p>
      </div>
      <ClientMessages namespaces={["account.apiKeys"]}>
        <ApiKeys keys={keys} />
      </ClientMessages>
    </div>
  );
}
