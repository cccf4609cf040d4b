import { appUrl } from "@/lib/app-url";
import { env, storageSigningSecret, type Env } from "@/lib/env";
import { LocalStorage } from "./local";
import { S3Storage } from "./s3";
import type { StorageDriver } from "./types";

export type { StorageBody, StorageDriver, StoredObject } from "./types";
export { LocalStorage } from "./local";
export { S3Storage } from "./s3";
export { assertValidKey, isValidKey, InvalidStorageKeyError } from "./keys";

/** Builds the driver STORAGE_DRIVER names, from the environment. */
export function createStorage(e: Env = env()): StorageDriver {
  if (e.STORAGE_DRIVER === "s3") {
    if (!e.S3_BUCKET) throw new Error("STORAGE_DRIVER=s3 needs S3_BUCKET");
    return new S3Storage({
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      endpoint: e.S3_ENDPOINT,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      ttlSeconds: e.STORAGE_URL_TTL_SECONDS,
    });
  }
  return new LocalStorage({
    root: e.STORAGE_LOCAL_DIR,
    secret: storageSigningSecret(e),
    // In development without APP_URL, the request's origin (src/lib/app-url.ts): `next dev -p 3001` works.
    baseUrl: process.env.NODE_ENV === "development" ? appUrl : e.APP_URL,
    ttlSeconds: e.STORAGE_URL_TTL_SECONDS,
  });
}

let cached: StorageDriver | undefined;

/** The process-wide storage driver. */
export function storage(): StorageDriver {
  cached ??= createStorage();
  return cached;
}

/** Tests change the environment between cases; this forgets the driver. */
export function resetStorage() {
  cached = undefined;
}
