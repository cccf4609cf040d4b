import fs from "node:fs/promises";
import path from "node:path";

// The API reference renderer (Scalar's standalone bundle from the @scalar/api-reference package),
// served from our own origin so the reference page (/<locale>/docs/api) loads no third-party
// script and stays within the pages' CSP. next.config.ts traces the file into standalone builds.
export const runtime = "nodejs";

const FILE = path.join(process.cwd(), "node_modules/@scalar/api-reference/dist/browser/standalone.js");
let bundle: Promise<Buffer> | undefined;

export async function GET() {
  bundle ??= fs.readFile(FILE).catch((error) => {
    bundle = undefined;
    throw error;
  });
  return new Response(new Uint8Array(await bundle), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
