"use client";

import { MenuIcon } from "lucide-react";
import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { usePathname } from "@/i18n/navigation";
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
const MobileNavSheet = dynamic(loadSheet, { ssr: false });

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
  // Once opened, the Sheet stays mounted, so that closing it animates like opening.
  const [wanted, setWanted] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const open = openOn === pathname;
  return (
    <>
      <Button
        ref={button}
        variant="ghost"
        size="icon"
        className="-ml-2 lg:hidden"
        aria-label={labels.open}
        aria-haspopup="dialog"
        aria-expanded={open}
        data-state={open ? "open" : "closed"}
        data-testid="menu-button"
        // A hover or focus starts the download, so that a click rarely waits for it.
        onPointerEnter={() => void loadSheet()}
        onFocus={() => void loadSheet()}
        onClick={() => {
          setWanted(true);
          setOpenOn(pathname);
        }}
      >
        <MenuIcon className="size-5" aria-hidden />
      </Button>
      {wanted && (
        <MobileNavSheet open={open} onOpenChange={(next) => setOpenOn(next ? pathname : null)} trigger={button} nav={nav} extra={extra} labels={labels}>
          {children}
        </MobileNavSheet>
      )}
    </>
  );
}
