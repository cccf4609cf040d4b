import { siteConfig } from "@/config/site";

/**
 * The brand's mark: a play symbol with a spark, on the brand gradient. The same drawing is the
 * favicon (src/app/icon.svg) and is drawn into the social cards and the Apple touch icon.
 * `id` keeps the gradient's id unique when the mark appears twice on a page.
 */
export function LogoMark({ id, className }: { id: string; className?: string }) {
  const gradient = `logo-gradient-${id}`;
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden focusable="false">
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor={siteConfig.colors.brand} />
          <stop offset="1" stopColor={siteConfig.colors.brandTo} />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill={`url(#${gradient})`} />
      <path d={LOGO_PLAY} fill="#fff" />
      <path d={LOGO_SPARK} fill="#fff" />
    </svg>
  );
}

/** The mark's two shapes (32 x 32), shared with the social cards and icons. */
export const LOGO_PLAY = "M13 10.6v10.8c0 .8.9 1.3 1.6.9l8.6-5.4c.6-.4.6-1.4 0-1.8l-8.6-5.4c-.7-.4-1.6.1-1.6.9z";
export const LOGO_SPARK = "M8.5 6l1 2.5 2.5 1-2.5 1-1 2.5-1-2.5-2.5-1 2.5-1z";
