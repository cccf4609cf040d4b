import net from "node:net";
import { env } from "../env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The client's address, or null when it cannot be known.
 *
 * Next.js route handlers do not expose the socket's address (NextRequest.ip is gone since
 * Next 15), and `next start` fills X-Forwarded-For with it only when the request has none,
 * so with no proxy in front a client can write any value there. Hence:
 * - TRUSTED_PROXY_HOPS=0 (default): no header is trusted; null.
 * - TRUSTED_PROXY_HOPS=N: N proxies each append the address they saw; the client is the
 *   N-th entry from the right (entries further left were written by the client). Null
 *   when the header has fewer entries or the entry is not an IP address.
 */
export function clientIp(headers: HeaderSource, hops: number = env().TRUSTED_PROXY_HOPS): string | null {
  if (hops <= 0) return null;
  const entries = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length < hops) return null;
  const candidate = entries[entries.length - hops].replace(/^\[(.*)\]$/, "$1");
  return net.isIP(candidate) ? candidate.toLowerCase() : null;
}
