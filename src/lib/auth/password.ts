import crypto from "node:crypto";
import { promisify } from "node:util";
import { PASSWORD_MAX_LENGTH } from "./password-rules";

// scrypt from node:crypto (memory-hard, no native module to install).
// Stored as scrypt$N$r$p$salt$hash (base64), so parameters can be raised later.
const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-rules";

/**
 * The bound on scrypt's input, whatever the caller validated: no stored password is longer
 * than PASSWORD_MAX_LENGTH (every schema that sets one says so), so a longer input is
 * refused here before any hashing work (verify: false at once; hash: an error).
 */
export function isHashablePassword(password: string): boolean {
  return password.length <= PASSWORD_MAX_LENGTH;
}

export async function hashPassword(password: string): Promise<string> {
  if (!isHashablePassword(password)) throw new RangeError(`password longer than ${PASSWORD_MAX_LENGTH} characters`);
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isHashablePassword(password)) return false;
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return crypto.timingSafeEqual(actual, expected);
}

// Compared against when the email is unknown, so a wrong email costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString("hex"));
  return dummyHash;
}
