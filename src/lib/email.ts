/**
 * The one rule for comparing and storing emails, on every path (sign-up, sign-in, forgot
 * password, magic links, the Auth.js adapter, email change, admin search, ADMIN_EMAILS):
 * Unicode NFKC (fullwidth "ＡＢＣ＠ＥＸＡＭＰＬＥ.com" is "abc@example.com"), trimmed,
 * lower-cased. NFKC runs first so compatibility spaces (U+3000) are trimmed too.
 */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}
