"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** How often, and how many times, the processing state asks the server again (about 2 minutes). */
export const POLL_INTERVAL_MS = 3000;
const MAX_POLLS = 40;

/**
 * The success page's live parts, re-rendering the server components in place:
 * - `poll`: the payment is processing (the webhook has not arrived): ask again every few
 *   seconds until the page shows another state;
 * - `once`: this view fulfilled the order, after the header had read the balance: one
 *   refresh shows the new balance in the header, without a reload.
 */
export function SuccessRefresh({ mode }: { mode: "poll" | "once" }) {
  const router = useRouter();
  useEffect(() => {
    if (mode === "once") {
      router.refresh();
      return;
    }
    let polls = 0;
    const timer = window.setInterval(() => {
      if (++polls > MAX_POLLS) return window.clearInterval(timer);
      router.refresh();
    }, POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [mode, router]);
  return null;
}
