/**
 * Where a webhook may be delivered (server-side request forgery guard). Users choose the
 * URL, and the server POSTs to it, so an endpoint must not reach the server's own network:
 * loopback, private, link-local (the cloud metadata service at 169.254.169.254), carrier-grade
 * NAT, multicast, reserved and documentation ranges, in IPv4 and IPv6, including IPv4
 * written inside IPv6 (::ffff:127.0.0.1, ::127.0.0.1, 64:ff9b::/96 NAT64) and 0.0.0.0.
 *
 * Checked twice: at registration on the URL itself (a literal address, `localhost`), and
 * at every delivery after DNS, on every address the name resolves to; the connection is
 * then made to the address that was checked (resolveDeliveryTarget), so a name that
 * answers differently the second time (DNS rebinding) cannot move it inside.
 * WEBHOOK_ALLOW_PRIVATE_URLS=true turns both checks (and the https rule) off.
 */
import dns from "node:dns/promises";
import net from "node:net";
import { BadRequestError } from "@/lib/http/errors";

const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], // "this network", 0.0.0.0
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID...)
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  BLOCKED.addSubnet(prefix, bits, "ipv6");
}

/** The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64), or null. */
function embeddedIpv4(address: string): string | null {
  const bytes = ipv6Bytes(address);
  if (!bytes) return null;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = () => bytes.slice(12).join(".");
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return v4(); // ::a.b.c.d (deprecated "compatible"; :: and ::1 are in BLOCKED)
  // 64:ff9b::/96 (NAT64) and 64:ff9b:1::/48: the IPv4 address is the last 32 bits.
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) return v4();
  return null;
}

/** The 16 bytes of an IPv6 address, or null if it is not one. */
function ipv6Bytes(address: string): number[] | null {
  if (net.isIPv6(address) === false) return null;
  let text = address.split("%")[0];
  // A trailing dotted IPv4 part becomes two hex groups.
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split(".").map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(tail === null ? 0 : missing).fill("0"), ...tailGroups];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g || "0", 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * Whether an IP address is one a webhook must not reach: anything but a public unicast
 * address. A string that is not an IP address counts as blocked.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = net.isIP(bare);
  if (family === 4) return BLOCKED.check(bare, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4 !== null) return isPrivateAddress(v4);
    return BLOCKED.check(bare.split("%")[0], "ipv6");
  }
  return true;
}

/** Names that mean this machine or its local network without asking DNS. */
function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || name.endsWith(".local") || name.endsWith(".internal");
}

/**
 * The registration rules (400 naming `url`): no user name or password in it, and unless
 * private URLs are allowed, https only and no literal private address or local name.
 * A name is resolved only at delivery (DNS can change between now and then).
 */
export function assertAcceptableEndpointUrl(raw: string, allowPrivate: boolean): URL {
  const url = new URL(raw);
  if (url.username || url.password) throw new BadRequestError("url: must not contain a user name or password", "url");
  if (url.hash) throw new BadRequestError("url: must not contain a fragment (#...)", "url");
  if (allowPrivate) return url;
  if (url.protocol !== "https:") throw new BadRequestError("url: must be an https URL", "url");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if ((net.isIP(host) && isPrivateAddress(host)) || isLocalName(host)) {
    throw new BadRequestError("url: must not point at a private, loopback or link-local address", "url");
  }
  return url;
}

export class BlockedAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private, loopback or link-local address`);
    this.name = "BlockedAddressError";
  }
}

/** Where a delivery connects: the address checked, and its family. */
export interface DeliveryTarget {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URL's host and checks every address it resolves to (a name with one
 * private address among public ones is refused: which one a client picks is not ours to
 * say). The caller connects to the returned address, never resolving the name again.
 */
export async function resolveDeliveryTarget(url: URL, allowPrivate: boolean): Promise<DeliveryTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = net.isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal }]
    : await dns.lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} did not resolve`);
  if (!allowPrivate) {
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) throw new BlockedAddressError(host, inside.address);
  }
  return { address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}
