"use client";

import { useState, type ReactNode } from "react";

export interface ThemeLabels {
  label: string;
  light: string;
  dark: string;
  system: string;
}

export interface ThemeToggleProps {
  labels: ThemeLabels;
  /** The button's classes (buttonClass from the server: no class utilities in this bundle). */
  className: string;
  /** Its icons (rendered on the server: the sun in light, the moon in dark, by CSS). */
  icon: ReactNode;
}

/** The header's theme button; its icon follows the theme by CSS, so it renders the same on the server. */
export function ThemeButton({ labels, className, icon, ...props }: ThemeToggleProps & React.ComponentProps<"button">) {
  return (
    <button type="button" className={className} aria-label={labels.label} aria-haspopup="menu" aria-expanded={false} data-testid="theme-toggle" {...props}>
      {icon}
    </button>
  );
}

// The menu (Radix DropdownMenu with its positioning: ~11 kB gzip) is loaded on first use, not
// by every page (docs/benchmarks.md, "Page budgets"). While it loads, the same button stands in.
const loadMenu = () => import("./theme-menu").then((m) => m.ThemeMenu);
type Menu = Awaited<ReturnType<typeof loadMenu>>;

/**
 * Header menu: light, dark or the system's theme. A plain button until first clicked; then the
 * menu replaces it with the same button as its trigger, open, and Radix returns the focus to that
 * trigger when the menu closes.
 */
export function ThemeToggle(props: ThemeToggleProps) {
  const [Menu, setMenu] = useState<Menu | null>(null);
  if (Menu) return <Menu {...props} />;
  return (
    <ThemeButton
      {...props}
      onPointerEnter={() => void loadMenu()}
      onFocus={() => void loadMenu()}
      onClick={() => void loadMenu().then((loaded) => setMenu(() => loaded))}
    />
  );
}
