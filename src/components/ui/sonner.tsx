"use client";

import { useSyncExternalStore } from "react";
import { Toaster as Sonner, type ToasterProps } from "sonner";
import { isDark, subscribeToTheme } from "@/lib/theme";

const WIDE = "(min-width: 1024px)";
const subscribeToWidth = (onChange: () => void) => {
  const query = window.matchMedia(WIDE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};

/**
 * Toasts (sonner) in the page's theme: bottom right on wide screens, at the top on phones,
 * where the bottom of the screen is what a task page scrolls into view (its status card).
 * Mounted on demand by ToasterOnDemand (./toast.tsx): call its `toastSuccess`, not sonner's
 * `toast`, so the toaster is there.
 */
export function Toaster(props: ToasterProps) {
  const dark = useSyncExternalStore(subscribeToTheme, isDark, () => false);
  const wide = useSyncExternalStore(subscribeToWidth, () => window.matchMedia(WIDE).matches, () => true);
  return (
    <Sonner
      theme={dark ? "dark" : "light"}
      position={wide ? "bottom-right" : "top-center"}
      className="toaster group"
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
        } as React.CSSProperties
      }
      {...props}
    />
  );
}
