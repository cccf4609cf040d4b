import type { Metadata } from "next";
import { headers } from "next/headers";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ApiReference } from "@/components/docs/api-reference";
import { pageMetadata } from "@/lib/page-metadata";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "docs.api" });
  return pageMetadata({ locale, card: "docs/api", title: t("title"), description: t("intro") });
}

// The API reference: GET /api/openapi.json rendered by Scalar (src/components/docs/api-reference.tsx).
export default async function ApiDocsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("docs.api");
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <div className="mx-auto w-full max-w-7xl px-4 py-8" data-testid="api-docs">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="mt-3 max-w-3xl text-muted-foreground">{t("intro")}</p>
      <p className="mt-2 text-sm text-muted-foreground">
        {t.rich("document", {
          link: (chunks) => (
            <a href="/api/openapi.json" className="font-medium text-primary underline-offset-4 hover:underline dark:text-foreground">
              {chunks}
            </a>
          ),
        })}
      </p>
      <noscript>
        <p className="mt-6">{t("noscript")}</p>
      </noscript>
      <div className="mt-8">
        <ApiReference specUrl="/api/openapi.json" scriptUrl="/scalar/standalone.js" locale={locale} nonce={nonce} />
      </div>
    </div>
  );
}
