import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env, type Env } from "../env";

// The secret next-auth signs and encrypts session cookies with. AUTH_SECRET in production
// (the server refuses to start without it: assertProductionSecrets). `next dev` and tests
// without one use a random secret generated once per machine and kept in a git-ignored
// file, so no secret is written in the source for anyone to forge cookies with.
export const DEV_SECRET_FILE = path.join("data", ".auth-secret");

let devSecret: string | undefined;

function developmentSecret(): string {
  if (devSecret) return devSecret;
  const file = path.resolve(DEV_SECRET_FILE);
  try {
    devSecret = fs.readFileSync(file, "utf8").trim() || undefined;
  } catch {
    // not created yet
  }
  if (!devSecret) {
    devSecret = crypto.randomBytes(32).toString("base64url");
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, devSecret, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process wrote it first: use theirs. Unwritable folder: this process's own.
      if ((error as NodeJS.ErrnoException).code === "EEXIST") devSecret = fs.readFileSync(file, "utf8").trim();
    }
  }
  return devSecret;
}

export function authSecret(e: Env = env()): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  // `next build` renders nothing that is signed; a throwaway secret keeps it configuration-free.
  if (process.env.NEXT_PHASE === "phase-production-build") return (devSecret ??= crypto.randomBytes(32).toString("base64url"));
  if (e.NODE_ENV === "production") throw new Error("AUTH_SECRET is not set (required in production)");
  return developmentSecret();
}
