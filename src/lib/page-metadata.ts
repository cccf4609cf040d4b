import type { Metadata } from "next";
import { siteConfig } from "@/config/site";

/**
 * A page's metadata with its social cards: og:* and twitter:* carry the page's title and
 * description, and og:image is the page's card drawn by GET /api/og (src/app/api/og/route.tsx).
 * `card` names the page for that route ("pricing", "tasks/text-to-video"); an unknown name
 * gets the brand's card there.
 */
export function pageMetadata({ locale, card, title, description }: { locale: string; card: string; title?: string; description?: string }): Metadata {
  const image = { url: `/api/og?${new URLSearchParams({ page: card, locale })}`, width: 1200, height: 630, alt: title ?? siteConfig.name };
  const socialTitle = title ? `${title} — ${siteConfig.name}` : undefined;
  return {
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    openGraph: {
      type: "website",
      siteName: siteConfig.name,
      locale: locale === "zh" ? "zh_CN" : "en_US",
      ...(socialTitle && { title: socialTitle }),
      ...(description && { description }),
      images: [image],
    },
    twitter: {
      card: "summary_large_image",
      ...(socialTitle && { title: socialTitle }),
      ...(description && { description }),
      images: [image],
    },
  };
}
