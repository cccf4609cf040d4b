"use client";

import type { RefObject } from "react";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { AppNavLists, SIDEBAR_LINK } from "./app-sidebar";
import type { MobileNavLabels } from "./mobile-nav";
import type { AppNavigation, NavItem } from "./nav-items";
import { NavLink } from "./nav-link";

/**
 * The phone menu's Sheet, loaded by MobileNav on first open (see there). It has no
 * SheetTrigger of its own: MobileNav's button opens it, and gets the focus back on close.
 */
export function MobileNavSheet({
  open,
  onOpenChange,
  trigger,
  nav,
  extra,
  labels,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: RefObject<HTMLButtonElement | null>;
  nav: AppNavigation;
  extra: NavItem[];
  labels: MobileNavLabels;
  children: React.ReactNode;
}) {
  const close = () => onOpenChange(false);
  return (
    <Sheet open={open} onOpenChange={onOpenChange}>
      <SheetContent
        side="left"
        closeLabel={labels.close}
        className="gap-0 overflow-y-auto"
        data-testid="menu-sheet"
        // Radix returns the focus to its own Trigger; the trigger here is MobileNav's button.
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          trigger.current?.focus();
        }}
      >
        <SheetHeader>
          <SheetTitle>{labels.title}</SheetTitle>
          <SheetDescription className="sr-only">{labels.description}</SheetDescription>
        </SheetHeader>
        <nav aria-label={labels.title} className="px-2">
          <AppNavLists nav={nav} labels={labels} testIdPrefix="menu" onNavigate={close} />
          <ul className="mt-4 space-y-0.5 border-t pt-4">
            {extra.map((item) => (
              <li key={item.href}>
                <NavLink href={item.href} className={SIDEBAR_LINK} data-testid={`menu-${item.testId}`} onClick={close}>
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
