import { ImageResponse } from "next/og";
import { getTranslations } from "next-intl/server";
import { LOGO_PLAY, LOGO_SPARK } from "@/components/logo";
import { siteConfig } from "@/config/site";
import { routing } from "@/i18n/routing";
import { logger } from "@/lib/logger";
import { taskTypes } from "@/services/tasks/registry";

/**
 * GET /api/og?page=<card>&locale=<locale>: a page's social card (og:image, twitter:image; 1200 x
 * 630 PNG), drawn with next/og. The pages name their card (src/lib/page-metadata.ts); the text on
 * it comes from the catalogs, never from the query, so nobody can put their words on an image
 * served from this domain. Anything odd (an unknown card or locale, repeated or overlong
 * parameters) gets the brand's card; a failure to draw falls back to it too: never a 500.
 */
const SIZE = { width: 1200, height: 630 };
const CACHE = "public, max-age=3600, stale-while-revalidate=86400";

/** Whether next/og's bundled font (Latin) can draw the text; other scripts get the brand card. */
const drawable = (text: string) => /^[\p{Script=Latin}\p{Script=Common}]*$/u.test(text);

interface Card {
  title: string;
  subtitle: string;
}

async function cardFor(page: string, locale: string): Promise<Card | null> {
  const t = await getTranslations({ locale });
  const tagline = t("common.site.tagline");
  const legal: Record<string, string> = { terms: "legal.terms.title", privacy: "legal.privacy.title", "refund-policy": "legal.refund.title", contact: "legal.contact.title" };
  if (page === "home") return { title: t("home.hero.title"), subtitle: tagline };
  if (page === "pricing") return { title: t("home.pricing.title"), subtitle: tagline };
  if (page === "signin") return { title: t("auth.signIn.title"), subtitle: tagline };
  if (page === "signup") return { title: t("auth.signUp.title"), subtitle: tagline };
  if (page in legal) return { title: t(legal[page]), subtitle: tagline };
  const type = taskTypes().find((d) => page === `tasks/${d.slug}`);
  if (type) return { title: t(`taskTypes.${type.type}.name`), subtitle: t(`taskTypes.${type.type}.description`) };
  return null;
}

function draw(card: Card | null) {
  const { brand, brandTo } = siteConfig.colors;
  return new ImageResponse(
    (
      <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", justifyContent: "space-between", padding: 72, color: "#fff", background: `linear-gradient(135deg, #0f172a 0%, ${brand} 55%, ${brandTo} 100%)` }}>
        <div style={{ display: "flex", alignItems: "center", gap: 24 }}>
          <svg width="88" height="88" viewBox="0 0 32 32">
            <rect width="32" height="32" rx="8" fill="#ffffff" fillOpacity="0.16" />
            <path d={LOGO_PLAY} fill="#fff" />
            <path d={LOGO_SPARK} fill="#fff" />
          </svg>
          <div style={{ fontSize: 44, fontWeight: 600 }}>{siteConfig.name}</div>
        </div>
        {card ? (
          <div style={{ display: "flex", flexDirection: "column", gap: 24 }}>
            <div style={{ fontSize: 76, lineHeight: 1.1, fontWeight: 700 }}>{card.title}</div>
            <div style={{ fontSize: 34, lineHeight: 1.35, opacity: 0.85, maxWidth: 980 }}>{card.subtitle}</div>
          </div>
        ) : (
          <div style={{ display: "flex", fontSize: 34, opacity: 0.85 }}>{siteConfig.supportEmail.split("@")[1]}</div>
        )}
      </div>
    ),
    SIZE,
  );
}

async function png(card: Card | null): Promise<ArrayBuffer> {
  // Drawn before answering, so a failure is caught here rather than cutting a 200 short.
  return draw(card).arrayBuffer();
}

export async function GET(request: Request) {
  const params = new URL(request.url).searchParams;
  const page = params.get("page") ?? "home";
  const requested = params.get("locale") ?? routing.defaultLocale;
  const locale = (routing.locales as readonly string[]).includes(requested) ? requested : routing.defaultLocale;
  let body: ArrayBuffer;
  try {
    const card = (page.length <= 64 ? await cardFor(page, locale) : null) ?? (await cardFor("home", locale));
    body = await png(card && drawable(card.title + card.subtitle) ? card : null);
  } catch (error) {
    logger.warn({ err: error, page }, "[og] card failed; the brand card instead");
    body = await png(null);
  }
  return new Response(body, { headers: { "Content-Type": "image/png", "Cache-Control": CACHE } });
}
