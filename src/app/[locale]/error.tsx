"use client";

import { useParams } from "next/navigation";
import en from "../../../messages/en/pageErrors.json";
import zh from "../../../messages/zh/pageErrors.json";

// The error boundary loads with every page, so it reads its two strings from the catalogs
// directly rather than through next-intl's client (its provider, ~3 kB gzip that the chrome no
// longer needs), from a catalog of its own: each JSON file it imports ships whole with every
// page (docs/benchmarks.md, "Page budgets").
const TEXT: Record<string, typeof en> = { en, zh };

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const { locale } = useParams<{ locale: string }>();
  const t = TEXT[locale] ?? TEXT.en;
  return (
    <div className="mx-auto max-w-xl px-4 py-20 text-center">
      <p className="text-lg">{t.generic}</p>
      <button
        type="button"
        onClick={reset}
        className="focus-ring mt-6 inline-flex h-9 items-center justify-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground shadow-xs hover:bg-primary/90"
      >
        {t.retry}
      </button>
    </div>
  );
}
