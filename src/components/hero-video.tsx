"use client";

import { useEffect, useRef } from "react";

/**
 * The landing page's sample loop. The poster frame is the first paint (and the page's LCP);
 * the video starts once the page has loaded and the main thread is idle, because decoding it
 * while the page hydrates added to the landing page's blocking time in Lighthouse
 * (docs/benchmarks.md, "Page budgets"). Visitors who ask for reduced motion see the poster only.
 */
export function HeroVideo({ label, ...video }: { src: string; poster: string; width: number; height: number; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (matchMedia("(prefers-reduced-motion: reduce)").matches) return;
    let cancel = () => {};
    const play = () => void ref.current?.play().catch(() => undefined);
    // Safari has no requestIdleCallback: a moment after load is close enough there.
    const start = () => {
      if ("requestIdleCallback" in window) {
        const idle = requestIdleCallback(play, { timeout: 2000 });
        cancel = () => cancelIdleCallback(idle);
      } else {
        const timer = setTimeout(play, 200);
        cancel = () => clearTimeout(timer);
      }
    };
    if (document.readyState === "complete") start();
    else addEventListener("load", start, { once: true });
    return () => {
      removeEventListener("load", start);
      cancel();
    };
  }, []);
  return (
    <video
      ref={ref}
      {...video}
      className="aspect-video w-full bg-black object-cover"
      muted
      loop
      playsInline
      preload="none"
      aria-label={label}
      data-testid="hero-video"
    />
  );
}
