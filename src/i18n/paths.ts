import { routing, type Locale } from "./routing";

/**
 * Locale-prefixed paths (every page lives under /<locale>/), without next-intl's client code:
 * the links, redirects and path hooks of ./navigation build on these, so a page's client code
 * is next/link and next/navigation only (docs/benchmarks.md, "Page budgets").
 */

/** A link target inside the app, without its locale: "/credits", or its parts. */
export type Href = string | { pathname: string; query?: Record<string, string | number | boolean | readonly string[] | null | undefined>; hash?: string };

const isLocale = (value: string | undefined): value is Locale => (routing.locales as readonly string[]).includes(value ?? "");

/** The locale a path starts with ("/zh/tasks" -> "zh"), or null. */
export function localeOf(pathname: string): Locale | null {
  const first = pathname.split("/")[1];
  return isLocale(first) ? first : null;
}

/** The path without its locale prefix ("/zh/tasks" -> "/tasks", "/en" -> "/"). */
export function stripLocale(pathname: string): string {
  const locale = localeOf(pathname);
  if (!locale) return pathname;
  return pathname.slice(locale.length + 1) || "/";
}

function queryString(query: Exclude<Href, string>["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * The URL of `href` in `locale`: "/credits" -> "/en/credits", "/" -> "/en". Absolute URLs,
 * protocol links (mailto:) and bare fragments or queries are returned unchanged.
 */
export function localizeHref(href: Href, locale: string = routing.defaultLocale): string {
  if (typeof href === "string") {
    if (!href.startsWith("/") || href.startsWith("//")) return href;
    const cut = href.search(/[?#]/);
    return cut < 0 ? prefixed(href, locale) : `${prefixed(href.slice(0, cut), locale)}${href.slice(cut)}`;
  }
  return `${prefixed(href.pathname, locale)}${queryString(href.query)}${href.hash ? `#${href.hash.replace(/^#/, "")}` : ""}`;
}

function prefixed(path: string, locale: string): string {
  const bare = stripLocale(path);
  return bare === "/" ? `/${locale}` : `/${locale}${bare}`;
}
