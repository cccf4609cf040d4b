import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { AccountSettings } from "@/components/account/account-settings";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { requirePageUser } from "@/lib/auth/page-auth";
import { getAccount } from "@/services/accounts/settings";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "account.meta" }))("title") };
}

export default async function AccountPage({ params }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await requirePageUser(locale, "/account");
  const account = await getAccount(user.uuid);
  const t = await getTranslations("account");
  const tw = await getTranslations("webhooks");
  const email = account?.email ?? user.email;
  return (
    <div className="mx-auto max-w-xl space-y-8 px-4 py-10">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="mt-2 text-sm text-muted-foreground">{t("email", { email })}</p>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <Link href="/account/api-keys" className="block rounded-lg border p-4 hover:bg-muted" data-testid="account-api-keys-link">
          <span className="font-semibold">{t("apiKeys.link")}</span>
          <span className="mt-1 block text-sm text-muted-foreground">{t("apiKeys.linkText")}</span>
        </Link>
        <Link href="/account/webhooks" className="block rounded-lg border p-4 hover:bg-muted" data-testid="account-webhooks-link">
          <span className="font-semibold">{tw("accountLink")}</span>
          <span className="mt-1 block text-sm text-muted-foreground">{tw("accountLinkText")}</span>
        </Link>
      </div>
      <ClientMessages namespaces={["account", "auth"]}>
        <AccountSettings name={account?.name ?? user.name ?? ""} email={email} hasPassword={account?.hasPassword ?? true} />
      </ClientMessages>
    </div>
  );
}
