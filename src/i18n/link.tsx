"use client";

import NextLink from "next/link";
import { useParams } from "next/navigation";
import type { ComponentProps } from "react";
import { localizeHref, type Href } from "./paths";

export type LinkProps = Omit<ComponentProps<typeof NextLink>, "href" | "locale"> & {
  /** A path inside the app without its locale ("/credits", { pathname, query, hash }). */
  href: Href;
  /** Another locale than the page's (the language switch). */
  locale?: string;
};

/**
 * next/link with the page's locale in front of the path: `<Link href="/credits">` on a /zh
 * page goes to /zh/credits. The locale comes from the route's [locale] segment.
 */
export function Link({ href, locale, ...props }: LinkProps) {
  const params = useParams<{ locale?: string }>();
  return <NextLink href={localizeHref(href, locale ?? params?.locale)} {...props} />;
}
