import type { Metadata } from "next";
import { MailIcon } from "lucide-react";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { siteConfig } from "@/config/site";
import { pageMetadata } from "@/lib/page-metadata";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return pageMetadata({ locale, card: "contact", title: { title: (await getTranslations({ locale, namespace: "legal" }))("contact.title") }.title });
}

export default async function ContactPage({ params }: { params: Promise<{ locale: string }> }) {
  setRequestLocale((await params).locale);
  const t = await getTranslations("legal.contact");
  return (
    <div className="mx-auto max-w-2xl px-4 py-12" data-testid="contact">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="mt-4 text-lg text-muted-foreground">{t("intro")}</p>
      <Card className="mt-8">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <MailIcon className="size-4" aria-hidden /> {t("emailLabel")}
          </CardTitle>
          <CardDescription>{t("responseTime")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          <a href={`mailto:${siteConfig.supportEmail}`} className="text-lg font-medium text-primary underline-offset-4 hover:underline dark:text-foreground" data-testid="support-email">
            {siteConfig.supportEmail}
          </a>
          <p className="text-sm text-muted-foreground">{t("orderHint")}</p>
        </CardContent>
      </Card>
    </div>
  );
}
