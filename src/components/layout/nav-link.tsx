"use client";

import { usePathname } from "@/i18n/client-navigation";
import { Link, type LinkProps } from "@/i18n/navigation";

/**
 * A link that marks itself `aria-current="page"` on the page it points to; style the current
 * one with `aria-[current=page]:` variants in `className`.
 */
export function NavLink({ href, ...props }: Omit<LinkProps, "href"> & { href: string }) {
  const current = usePathname() === href;
  return <Link href={href} aria-current={current ? "page" : undefined} {...props} />;
}
