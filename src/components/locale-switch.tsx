"use client";

import { useParams, usePathname, useRouter } from "next/navigation";
import { localizeHref, stripLocale } from "@/i18n/paths";

/** The cookie next-intl's proxy reads to send `/` to the visitor's chosen language. */
const LOCALE_COOKIE = "NEXT_LOCALE";

/** The language menu: the same page in the chosen language (its query and fragment kept). */
export function LocaleSwitch({ label, names }: { label: string; names: Record<string, string> }) {
  const { locale } = useParams<{ locale: string }>();
  const router = useRouter();
  const pathname = usePathname();
  return (
    <label className="flex items-center gap-1 text-sm text-muted-foreground">
      <span className="sr-only">{label}</span>
      <select
        aria-label={label}
        className="focus-ring h-9 rounded-md border border-input bg-background px-2 text-sm text-foreground"
        value={locale}
        onChange={(e) => {
          const next = e.target.value;
          document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          router.replace(localizeHref(stripLocale(pathname) + location.search + location.hash, next));
        }}
      >
        {Object.entries(names).map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
