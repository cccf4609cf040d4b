import { headers } from "next/headers";
import { env } from "./env";

/** Whether APP_URL was given (its default is http://localhost:3000). */
export const appUrlConfigured = () => Boolean(process.env.APP_URL?.trim());

/**
 * The app's public base URL (no trailing slash) for links built while answering a request:
 * output URLs, mailed links, Stripe's return URLs, social cards. APP_URL when it is set. In
 * development without it, the request's own origin (Host, X-Forwarded-Proto), so `next dev -p
 * 3001` links to :3001 and the pages' CSP ('self') allows them. Otherwise (production, tests,
 * work outside a request) APP_URL's default.
 */
export async function appUrl(): Promise<string> {
  const configured = env().APP_URL.replace(/\/+$/, "");
  if (appUrlConfigured() || process.env.NODE_ENV !== "development") return configured;
  try {
    const h = await headers();
    const host = h.get("x-forwarded-host") ?? h.get("host");
    if (!host || !/^[a-z0-9.:[\]-]+$/i.test(host)) return configured;
    const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
    return `${proto}://${host}`;
  } catch {
    return configured; // not inside a request (a background job, a script)
  }
}

/** appUrl's origin (scheme, host and port). */
export const appOrigin = async () => new URL(await appUrl()).origin;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]);

/**
 * Why links will be wrong on a production server, or null: APP_URL unset (links point at
 * http://localhost:3000), or APP_URL naming this machine (localhost) on another port than the
 * one the server listens on. A public APP_URL is not compared: a proxy in front may use any port.
 */
export function appUrlMismatch(appUrl: string | undefined, listeningPort: string | undefined): string | null {
  if (!appUrl?.trim()) return "APP_URL is not set: links in mails and task outputs point at http://localhost:3000. Set APP_URL to the address users open.";
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    return null; // env parsing refuses it anyway
  }
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (LOOPBACK.has(url.hostname) && listeningPort && port !== listeningPort) {
    return `APP_URL (${url.origin}) is port ${port} of this machine, but the server listens on port ${listeningPort}: links in mails and task outputs will not reach it. Set APP_URL to the address users open.`;
  }
  return null;
}
