"use client";

import { ThemeProvider as NextThemesProvider } from "next-themes";
import type * as React from "react";

/**
 * Light/dark theme (next-themes): the `dark` class on <html>, following the system until
 * the user picks one in the header. `nonce` lets its no-flash inline script run under the
 * page's Content-Security-Policy (src/proxy.ts).
 */
export function ThemeProvider({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
    </NextThemesProvider>
  );
}
