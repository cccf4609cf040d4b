import { redirect as nextRedirect } from "next/navigation";
import { localizeHref, type Href } from "./paths";

/**
 * Locale-aware navigation (server and client components): links and redirects add the /<locale>
 * prefix. Built on next/link and next/navigation rather than next-intl's createNavigation, whose
 * client part (~6 kB gzip) every page loaded. The hooks (usePathname, useRouter) are in
 * ./client-navigation: client components only.
 */
export { Link, type LinkProps } from "./link";
export type { Href } from "./paths";

/** The URL of `href` in `locale` ("/credits" -> "/zh/credits"). */
export const getPathname = ({ href, locale }: { href: Href; locale: string }) => localizeHref(href, locale);

/** Redirects (server components, actions) to `href` in `locale`. */
export function redirect({ href, locale }: { href: Href; locale: string }): never {
  nextRedirect(localizeHref(href, locale));
}
