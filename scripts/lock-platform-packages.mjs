// Keeps `npm ci` working when the registry this project installs from does not carry
// every platform's native binaries (darwin, win32, musl, ...). npm install then leaves
// those optional packages out of package-lock.json, and `npm ci` refuses the lock as
// "out of sync". This adds them back as optional, platform-restricted entries, which
// npm skips on machines they are not for. Run after `npm install`:
//   node scripts/lock-platform-packages.mjs
import fs from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pkgs = lock.packages;
const wanted = new Map();
for (const meta of Object.values(pkgs)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    if (!pkgs[`node_modules/${name}`] && !wanted.has(name)) wanted.set(name, spec.replace(/^[\^~=]/, ""));
  }
}
const PLATFORM = /(darwin|linux|win32|android|freebsd|openbsd|openharmony|netbsd|sunos|aix)-([a-z0-9]+)(?:-(.*))?$/;
for (const [name, version] of wanted) {
  const base = name.split("/").pop();
  const entry = { version, resolved: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`, optional: true };
  const m = base.match(PLATFORM);
  if (m) {
    entry.os = [m[1]];
    entry.cpu = [m[2]];
    if (m[1] === "linux" && m[3]?.includes("musl")) entry.libc = ["musl"];
    else if (m[1] === "linux" && m[3]?.includes("gnu")) entry.libc = ["glibc"];
  } else if (base.includes("wasm32")) {
    entry.cpu = ["wasm32"];
  } else {
    console.error(`left out (not a platform package): ${name}`);
    continue;
  }
  pkgs[`node_modules/${name}`] = entry;
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${wanted.size} platform package entries`);
