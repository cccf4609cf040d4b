import type { Metadata } from "next";
import { getFormatter, getMessages, getTranslations, setRequestLocale } from "next-intl/server";
import { legalEntityValues, siteConfig } from "@/config/site";
import { pageMetadata } from "@/lib/page-metadata";

export type LegalDoc = "terms" | "privacy" | "refund";

/** A legal page (terms, privacy, refund policy): its text is a template in messages/<locale>/legal.json. */
async function LegalPage({ doc }: { doc: LegalDoc }) {
  const t = await getTranslations("legal");
  const format = await getFormatter();
  const values = { brand: siteConfig.name, ...legalEntityValues, email: siteConfig.supportEmail };
  // The document's sections, in catalog order (t.raw is not available with compiled messages).
  const legal = (await getMessages()).legal as Record<LegalDoc, { sections: Record<string, unknown> }>;
  const sections = Object.keys(legal[doc].sections);
  return (
    <article className="mx-auto max-w-3xl px-4 py-12" data-testid={`legal-${doc}`}>
      <h1 className="text-3xl font-bold tracking-tight">{t(`${doc}.title`)}</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        {t("updated", { date: format.dateTime(new Date(siteConfig.legalUpdated), { dateStyle: "long" }) })}
      </p>
      <p className="mt-6 text-lg">{t(`${doc}.intro`, values)}</p>
      {sections.map((key) => (
        <section key={key} className="mt-8">
          <h2 className="text-xl font-semibold">{t(`${doc}.sections.${key}.title`)}</h2>
          <p className="mt-2 leading-relaxed text-muted-foreground">{t(`${doc}.sections.${key}.body`, values)}</p>
        </section>
      ))}
      <p className="mt-12 border-t pt-4 text-xs text-muted-foreground">{t("note")}</p>
    </article>
  );
}

/** The page module of a legal document: `const route = legalRoute("terms")`, then export its two parts. */
export function legalRoute(doc: LegalDoc) {
  return {
    async generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
      const { locale } = await params;
      const card = doc === "refund" ? "refund-policy" : doc;
      return pageMetadata({ locale, card, title: (await getTranslations({ locale, namespace: "legal" }))(`${doc}.title`) });
    },
    async Page({ params }: { params: Promise<{ locale: string }> }) {
      setRequestLocale((await params).locale);
      return <LegalPage doc={doc} />;
    },
  };
}
