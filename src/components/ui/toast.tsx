"use client";

import { useEffect, useState, useSyncExternalStore } from "react";

// sonner (its toaster, its state and styles: ~10 kB gzip) is loaded by the first toast, not by
// every page (docs/benchmarks.md, "Page budgets"). The toaster mounts then; sonner replays
// toasts created before its toaster subscribed, so the first one is not lost.
const loadToaster = () => import("./sonner").then((m) => m.Toaster);
type Toaster = Awaited<ReturnType<typeof loadToaster>>;

let wanted = false;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** Mounted once in the locale layout: renders the toaster once a toast was asked for. */
export function ToasterOnDemand() {
  const mount = useSyncExternalStore(
    subscribe,
    () => wanted,
    () => false,
  );
  const [Toaster, setToaster] = useState<Toaster | null>(null);
  useEffect(() => {
    if (mount) void loadToaster().then((loaded) => setToaster(() => loaded));
  }, [mount]);
  return Toaster ? <Toaster /> : null;
}

/** A success toast (sonner's `toast.success`), loading sonner on the first call. */
export function toastSuccess(message: string) {
  if (!wanted) {
    wanted = true;
    listeners.forEach((listener) => listener());
  }
  void import("sonner").then(({ toast }) => toast.success(message));
}
