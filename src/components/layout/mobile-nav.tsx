"use client";

import { MenuIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { AppNavLists, SIDEBAR_ACTIVE, SIDEBAR_LINK } from "./app-sidebar";
import { usePathname } from "@/i18n/navigation";
import type { AppNavigation, NavItem } from "./nav-items";
import { NavLink } from "./nav-link";

export interface MobileNavLabels {
  open: string;
  close: string;
  title: string;
  description: string;
  generate: string;
  app: string;
}

/**
 * Below `lg`: the menu button and its Sheet with every destination (the generators, the
 * app's sections, the marketing pages) and `children` (language, theme, account) at the end.
 */
export function MobileNav({
  nav,
  extra,
  labels,
  children,
}: {
  nav: AppNavigation;
  extra: NavItem[];
  labels: MobileNavLabels;
  children: React.ReactNode;
}) {
  // Open for the page it was opened on: any navigation (a link here, Back) closes it.
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const close = () => setOpenOn(null);
  return (
    <Sheet open={openOn === pathname} onOpenChange={(open) => setOpenOn(open ? pathname : null)}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="-ml-2 lg:hidden" aria-label={labels.open} data-testid="menu-button">
          <MenuIcon className="size-5" aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent side="left" closeLabel={labels.close} className="gap-0 overflow-y-auto" data-testid="menu-sheet">
        <SheetHeader>
          <SheetTitle>{labels.title}</SheetTitle>
          <SheetDescription className="sr-only">{labels.description}</SheetDescription>
        </SheetHeader>
        <nav aria-label={labels.title} className="px-2">
          <AppNavLists nav={nav} labels={labels} testIdPrefix="menu" onNavigate={close} />
          <ul className="mt-4 space-y-0.5 border-t pt-4">
            {extra.map((item) => (
              <li key={item.href}>
                <NavLink href={item.href} className={SIDEBAR_LINK} activeClassName={SIDEBAR_ACTIVE} data-testid={`menu-${item.testId}`} onClick={close}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="mt-4 flex flex-col gap-4 border-t p-4">{children}</div>
      </SheetContent>
    </Sheet>
  );
}
