"use client";

import { useRef, useState } from "react";
import { usePathname } from "@/i18n/client-navigation";
import type { AppNavigation, NavItem } from "./nav-items";

export interface MobileNavLabels {
  open: string;
  close: string;
  title: string;
  description: string;
  generate: string;
  app: string;
}

// The Sheet (Radix Dialog: focus trap, scroll lock, portal; ~11 kB gzip) is loaded when the
// menu is first wanted, not by every page: pages ship only the button (docs/benchmarks.md,
// "Page budgets").
const loadSheet = () => import("./mobile-nav-sheet").then((m) => m.MobileNavSheet);
type Sheet = Awaited<ReturnType<typeof loadSheet>>;

/**
 * Below `lg`: the menu button and its Sheet with every destination (the generators, the
 * app's sections, the marketing pages) and `children` (language, theme, account) at the end.
 * The button's classes and icon come from the server (no class utilities or icon library here).
 */
export function MobileNav({
  nav,
  extra,
  labels,
  className,
  icon,
  children,
}: {
  nav: AppNavigation;
  extra: NavItem[];
  labels: MobileNavLabels;
  className: string;
  icon: React.ReactNode;
  children: React.ReactNode;
}) {
  // Open for the page it was opened on: any navigation (a link here, Back) closes it.
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  // Once opened, the Sheet stays mounted, so that closing it animates like opening.
  const [MobileNavSheet, setSheet] = useState<Sheet | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const open = openOn === pathname;
  return (
    <>
      <button
        ref={button}
        type="button"
        className={className}
        aria-label={labels.open}
        aria-haspopup="dialog"
        aria-expanded={open}
        data-state={open ? "open" : "closed"}
        data-testid="menu-button"
        // A hover or focus starts the download, so that a click rarely waits for it.
        onPointerEnter={() => void loadSheet()}
        onFocus={() => void loadSheet()}
        onClick={() => {
          setOpenOn(pathname);
          void loadSheet().then((loaded) => setSheet(() => loaded));
        }}
      >
        {icon}
      </button>
      {MobileNavSheet && (
        <MobileNavSheet open={open} onOpenChange={(next) => setOpenOn(next ? pathname : null)} trigger={button} nav={nav} extra={extra} labels={labels}>
          {children}
        </MobileNavSheet>
      )}
    </>
  );
}
