"use client";

import Script from "next/script";
import { useCallback, useEffect, useRef } from "react";

interface ScalarApp {
  destroy?: () => void;
}
declare global {
  interface Window {
    Scalar?: { createApiReference: (element: HTMLElement, config: Record<string, unknown>) => ScalarApp };
  }
}

/**
 * The OpenAPI document rendered by Scalar (its standalone bundle, served from our origin by
 * src/app/scalar/standalone.js): no fonts, telemetry, proxy or AI agent from elsewhere, so the page's
 * CSP (connect-src 'self', font-src 'self') holds. Follows the app's theme at mount.
 */
export function ApiReference({ specUrl, scriptUrl, locale, nonce }: { specUrl: string; scriptUrl: string; locale: string; nonce?: string }) {
  const container = useRef<HTMLDivElement>(null);
  const app = useRef<ScalarApp | null>(null);

  const mount = useCallback(() => {
    if (!window.Scalar || !container.current || app.current) return;
    app.current = window.Scalar.createApiReference(container.current, {
      url: specUrl,
      localization: { locale: locale === "zh" ? "zh-CN" : "en" },
      withDefaultFonts: false,
      telemetry: false,
      // Nothing that talks to Scalar's own services: no hosted AI agent, MCP or SDK generation.
      agent: { disabled: true },
      showDeveloperTools: "never",
      hideDarkModeToggle: true,
      forceDarkModeState: document.documentElement.classList.contains("dark") ? "dark" : "light",
      mcp: { disabled: true },
      // "Try it" requests go straight to this origin (no third-party proxy).
      proxyUrl: "",
    });
  }, [specUrl, locale]);

  useEffect(() => {
    mount(); // the script is already there after a client-side navigation
    return () => {
      app.current?.destroy?.();
      app.current = null;
    };
  }, [mount]);

  return (
    <>
      <div ref={container} data-testid="api-reference" />
      <Script src={scriptUrl} nonce={nonce} strategy="afterInteractive" onReady={mount} />
    </>
  );
}
