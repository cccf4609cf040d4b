"use client";

import { MoonIcon, SunIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** The header's theme button. The icon follows the theme by CSS, so it renders the same on the server. */
export function ThemeButton(props: React.ComponentProps<"button">) {
  const t = useTranslations("common.theme");
  return (
    <Button variant="ghost" size="icon" aria-label={t("label")} aria-haspopup="menu" aria-expanded={false} data-testid="theme-toggle" {...props}>
      <SunIcon className="scale-100 rotate-0 transition-all dark:scale-0 dark:-rotate-90" aria-hidden />
      <MoonIcon className="absolute scale-0 rotate-90 transition-all dark:scale-100 dark:rotate-0" aria-hidden />
    </Button>
  );
}

// The menu (Radix DropdownMenu with its positioning: ~11 kB gzip) is loaded on first use, not
// by every page (docs/benchmarks.md, "Page budgets"). While it loads, the same button stands in.
const loadMenu = () => import("./theme-menu").then((m) => m.ThemeMenu);
const ThemeMenu = dynamic(loadMenu, { ssr: false, loading: () => <ThemeButton /> });

/**
 * Header menu: light, dark or the system's theme. A plain button until first clicked; then the
 * menu replaces it with the same button as its trigger, open, and Radix returns the focus to that
 * trigger when the menu closes.
 */
export function ThemeToggle() {
  const [wanted, setWanted] = useState(false);
  if (wanted) return <ThemeMenu />;
  return <ThemeButton onPointerEnter={() => void loadMenu()} onFocus={() => void loadMenu()} onClick={() => setWanted(true)} />;
}
