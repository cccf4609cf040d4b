/**
 * The brand, in one place: the product name in page titles ("Page — Brand"), the header
 * and footer, mails and Stripe's checkout page; the default description; the footer's
 * links; the support address. Rebrand here (and the wording in messages/<locale>/*.json).
 * Client-safe: no secrets, no env parsing.
 */
export const siteConfig = {
  name: "Credits AI Studio",
  /** Default meta description (pages override it with translated text). */
  description: "Turn a sentence into a video. Buy credits once, spend them on AI generations, watch the result in your browser.",
  supportEmail: "support@example.com",
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

/** "Page — Brand": the title template of every page (the locale layout applies it). */
export const TITLE_TEMPLATE = `%s — ${siteConfig.name}`;

/** "Brand — item": a product's name on Stripe's checkout page, receipts and invoices (item already localized). */
export const brandedProductName = (item: string) => `${siteConfig.name} — ${item}`;
