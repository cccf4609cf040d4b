// Browser side of the credentials sign-in: the same two requests a script makes
// (GET /api/auth/csrf, then a form POST to /api/auth/callback/credentials).
export type SignInResult = "ok" | "invalid" | "unverified" | "rate-limited" | "error";

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  try {
    const { csrfToken } = await (await fetch("/api/auth/csrf")).json();
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
      body: new URLSearchParams({ csrfToken, email, password }).toString(),
    });
    if (res.status === 429) return "rate-limited";
    if (!res.ok) return "error";
    const { url } = (await res.json()) as { url?: string };
    if (url && !url.includes("error=")) return "ok";
    // ALLOW_UNVERIFIED_SIGNIN=false and the email is not confirmed yet (a new link was mailed).
    return url?.includes("code=email_unverified") ? "unverified" : "invalid";
  } catch {
    return "error";
  }
}
