"use client";

import type * as React from "react";
import { Link, usePathname } from "@/i18n/navigation";
import { cn } from "@/lib/utils";

/** A link that marks itself `aria-current="page"` (and styles itself) on the page it points to. */
export function NavLink({
  href,
  className,
  activeClassName,
  ...props
}: Omit<React.ComponentProps<typeof Link>, "href"> & { href: string; activeClassName?: string }) {
  const pathname = usePathname();
  const current = pathname === href;
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={cn(className, current && activeClassName)}
      {...props}
    />
  );
}
