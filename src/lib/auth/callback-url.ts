import { env } from "../env";

// Control characters (tab, CR, LF, NUL, ...), DEL and backslashes: browsers strip or
// rewrite them ("/\t/evil.example" and "/\\evil.example" both become "//evil.example").
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/**
 * Where to send a visitor after sign-in: `value` when it points into this app (a path or
 * an absolute URL on APP_URL's origin), as a path; `fallback` for anything else.
 * No open redirects: other origins, protocol-relative and scheme tricks, userinfo,
 * control characters and backslashes (raw or %-encoded) are all refused.
 */
export function safeCallbackUrl(value: string | null | undefined, fallback: string, appUrl: string = env().APP_URL): string {
  if (!value || value.length > 2048) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback; // invalid %-encoding
  }
  if (FORBIDDEN.test(value) || FORBIDDEN.test(decoded) || decoded.startsWith("//")) return fallback;
  let url: URL;
  let app: URL;
  try {
    app = new URL(appUrl);
    url = new URL(value, app);
  } catch {
    return fallback;
  }
  if (url.origin !== app.origin || url.username || url.password) return fallback;
  // With a scheme, only the app's full origin ("https:evil" is a relative path to a URL
  // parser on an https app, and a foreign host in other hands).
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && value !== app.origin && !value.startsWith(`${app.origin}/`)) return fallback;
  const target = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.example" resolves to the path "//evil.example": never hand that out either.
  return target.startsWith("/") && !target.startsWith("//") ? target : fallback;
}
