import { NextResponse } from "next/server";
import type { Envelope } from "@/lib/http/api";

/**
 * The envelope of a route that hands the browser a URL to go to (Stripe Checkout, the
 * billing portal): `url` in `data` and also at the top level, so the documented client
 * snippet `const { url } = await response.json(); window.location.href = url;` works as written.
 */
export function okWithUrl<T extends { url: string }>(data: T) {
  return NextResponse.json<Envelope<T> & { url: string }>({ code: 0, message: "ok", data, url: data.url });
}
