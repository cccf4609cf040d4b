/**
 * The brand, in one place: the product name in page titles ("Page — Brand"), the header, the
 * footer, mails, social cards (og:image) and Stripe's checkout page; the support address; the
 * legal entity named in the footer and the legal pages; the footer's links. The wording around
 * them (tagline, footer text, descriptions) is translated in messages/<locale>/common.json
 * under `site`, with {brand} filled in from here. Rebrand in these two places, and the logo mark
 * in src/components/logo.tsx and src/app/icon.svg (the colours are in globals.css).
 * Client-safe: no secrets, no env parsing.
 */
const domain = "creditsai.studio";

export const siteConfig = {
  name: "Credits AI Studio",
  /** The company that runs the product: the footer's copyright and the legal pages. */
  legalEntity: "Credits AI Studio Ltd.",
  /** Where users write (the footer, the contact and legal pages, mails). */
  supportEmail: `support@${domain}`,
  /** The brand's colours outside CSS: social cards, the web app manifest. */
  colors: { brand: "#4f46e5", brandTo: "#9333ea", background: "#ffffff", foreground: "#0f172a" },
  /** Date shown on the terms, privacy and refund pages (messages/<locale>/legal.json). */
  legalUpdated: "2026-11-30",
  /** Where the footer's legal and contact links go (pages under src/app/[locale]/). */
  links: {
    pricing: "/pricing",
    terms: "/terms",
    privacy: "/privacy",
    refund: "/refund-policy",
    contact: "/contact",
  },
} as const;

/**
 * What a message naming the legal entity gets: `entity` inside a sentence, and `entitySentence`
 * where the entity ends one, with exactly one full stop ("Credits AI Studio Ltd.", not "Ltd..";
 * "Acme GmbH."). Used by the footer's copyright line and the legal pages.
 */
export const legalEntityValues = {
  entity: siteConfig.legalEntity,
  entitySentence: siteConfig.legalEntity.endsWith(".") ? siteConfig.legalEntity : `${siteConfig.legalEntity}.`,
};

/** "Page — Brand": the title template of every page (the locale layout applies it). */
export const TITLE_TEMPLATE = `%s — ${siteConfig.name}`;

/** "Brand — item": a product's name on Stripe's checkout page, receipts and invoices (item already localized). */
export const brandedProductName = (item: string) => `${siteConfig.name} — ${item}`;
