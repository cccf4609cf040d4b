import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { BuyButton } from "@/components/billing/buy-button";
import { PricingSection } from "@/components/pricing-section";
import { findBundle } from "@/data/credits";
import { pageMetadata } from "@/lib/page-metadata";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return pageMetadata({ locale, card: "pricing", title: (await getTranslations({ locale, namespace: "home.pricing" }))("title") });
}

/** Bundles (buyable here) and plans: the same section as on the landing page, as its own page. */
export default async function PricingPage({ params }: { params: Promise<{ locale: string }> }) {
  setRequestLocale((await params).locale);
  return (
    <PricingSection headingLevel={1} action={(id) => <BuyButton bundle={id} credits={findBundle(id)!.credits} />} />
  );
}
