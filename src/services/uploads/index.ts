/**
 * Uploads: files users send as task inputs (docs/tasks.md "Uploads").
 *
 *   receiveUpload   POST /api/uploads: multipart streamed into private storage, checked
 *                   from its bytes (./inspect.ts), capped while it arrives, limited per user
 *   listUploads     GET /api/uploads: the caller's recent unexpired uploads
 *   getUpload       GET /api/uploads/{id}
 *   resolveTaskFiles / linkUploads   createTask's checks of a type's file fields, and the link
 *   sweepExpiredUploads              the sweeper: unused uploads past UPLOAD_TTL_SECONDS
 *   deleteUploadsOf                  account deletion: every upload of the user
 *
 * The bytes live under `uploads/<id>` (uploadKey): a file's name is never part of a
 * storage key. A row exists from the first byte (`receiving`), so nothing stored can
 * escape cleanup: a failed upload deletes its object and row, and a row a crash left
 * `receiving` is swept with its object.
 */
import crypto from "node:crypto";
import { Readable } from "node:stream";
import Busboy from "busboy";
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { uploads, type Upload } from "@/db/schema";
import { env, type Env } from "@/lib/env";
import { AppError, BadRequestError, ForbiddenError, NotFoundError, TooManyRequestsError, UnauthorizedError, UnsupportedMediaTypeError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { rateLimitError, rateLimitSql } from "@/services/rate-limit";
import { storage as defaultStorage, type StorageDriver } from "@/services/storage";
import { assertValidKey } from "@/services/storage/keys";
import { z } from "zod";
import { UPLOAD_KIND_NAMES, type UploadKind } from "@/services/storage/kinds";
import type { UploadFacts, UploadFieldSpec } from "./field";
import { inspectUpload, UploadTooLargeError, type Measured } from "./inspect";

export { uploadField, uploadFieldsOf, type UploadFacts, type UploadFieldSpec } from "./field";
export { UnsupportedUploadError, UploadTooLargeError } from "./inspect";

/** What the API answers for an upload: the one definition of its shape. */
export const uploadDtoSchema = z
  .object({
    id: z.uuid().meta({ description: "Pass it as a task's file field (e.g. image-to-video's `image`)." }),
    kind: z.enum(UPLOAD_KIND_NAMES),
    contentType: z.string().meta({ description: "Typed from the file's bytes, not from what the client said." }),
    bytes: z.int().min(1),
    name: z.string().nullable().meta({ description: "The file's name as sent, cleaned (display only)." }),
    width: z.int().nullable(),
    height: z.int().nullable(),
    durationSeconds: z.number().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().meta({ description: "After this, it can no longer start a task, and is deleted unless a task used it." }),
    taskUuid: z.uuid().nullable().meta({ description: "The first task that used it, if any." }),
    url: z.string().meta({ description: "A short-lived signed URL of the bytes (previews), for the owner." }),
  })
  .meta({ id: "Upload" });

export type UploadDto = z.infer<typeof uploadDtoSchema>;

/** GET /api/uploads's query: ?kind=image|audio|video&limit=N (400 naming the parameter). */
export const uploadListQuerySchema = z.object({
  kind: z.enum(UPLOAD_KIND_NAMES, { error: `must be one of ${UPLOAD_KIND_NAMES.join(", ")}` }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,2}$/, "must be a whole number from 1 to 50")
    .transform(Number)
    .optional()
    .meta({ description: "How many, newest first: 1 to 50 (default 20)." }),
});

/** The storage key of an upload's bytes. */
export function uploadKey(id: string): string {
  return assertValidKey(`uploads/${id}`);
}

/** Size caps per kind, from the environment. */
export function uploadCaps(e: Env = env()): Record<UploadKind, number> {
  return { image: e.UPLOAD_MAX_IMAGE_BYTES, audio: e.UPLOAD_MAX_AUDIO_BYTES, video: e.UPLOAD_MAX_VIDEO_BYTES };
}

/** Room for the multipart framing around the file (boundaries, part headers). */
const MULTIPART_OVERHEAD = 64 * 1024;
const HOUR = 3600;

/**
 * A file's name as the browser sent it, made harmless for display: the last path
 * segment, no control characters (NUL included), at most 200 characters. It is stored
 * as a label only; storage keys never contain it.
 */
export function cleanFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? "";
  const clean = [...base.normalize("NFC").replace(/[\u0000-\u001f\u007f-\u009f]/g, "")]
    .filter((c) => c.isWellFormed())
    .slice(0, 200)
    .join("")
    .trim();
  return clean === "" || clean === "." || clean === ".." ? null : clean;
}

async function toDto(row: Upload, store: StorageDriver = defaultStorage()): Promise<UploadDto> {
  return {
    id: row.id,
    kind: row.kind as UploadKind,
    contentType: row.contentType!,
    bytes: row.bytes!,
    name: row.name,
    width: row.width,
    height: row.height,
    durationSeconds: row.durationSeconds,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    taskUuid: row.taskUuid,
    url: await store.signedUrl(row.storageKey),
  };
}

/** Bytes the user stored in the last hour, and when the oldest of them leaves the window. */
async function bytesThisHour(db: Executor, userUuid: string): Promise<{ used: number; retryAfter: number }> {
  const [row] = rowsOf<{ used: string | number; retry: string | number | null }>(
    await db.execute(sql`
      SELECT coalesce(sum(bytes), 0) AS used,
             extract(epoch FROM (min(created_at) + make_interval(secs => ${HOUR}) - now())) AS retry
      FROM uploads
      WHERE user_uuid = ${userUuid} AND status = 'ready' AND created_at > now() - make_interval(secs => ${HOUR})`),
  );
  return { used: Number(row?.used ?? 0), retryAfter: Math.max(1, Math.ceil(Number(row?.retry ?? HOUR))) };
}

/**
 * The upload's row, before its first byte is read: counts the attempt against the
 * user's hourly limit (rate_limit_hit, in the same statement) and requires an active
 * account. 429 past the limit; 401 for a disabled or deleted account.
 */
async function startUpload(db: Executor, e: Env, userUuid: string, id: string, name: string | null): Promise<void> {
  let inserted: unknown[];
  try {
    inserted = rowsOf(
      await db.execute(sql`
        INSERT INTO uploads (id, user_uuid, status, storage_key, name, expires_at)
        SELECT ${id}, ${userUuid}, 'receiving', ${uploadKey(id)}, ${name}, now() + make_interval(secs => ${e.UPLOAD_TTL_SECONDS})
        FROM users
        WHERE users.uuid = ${userUuid} AND users.disabled_at IS NULL
          AND ${rateLimitSql(`uploads:${userUuid}`, e.UPLOAD_RATE_LIMIT_PER_HOUR, HOUR)}
        RETURNING id`),
    );
  } catch (error) {
    throw rateLimitError(error);
  }
  if (inserted.length === 0) throw new UnauthorizedError();
}

/**
 * receiving -> ready, within the user's hourly bytes. The check while the bytes arrive
 * (inspectUpload's quota) only sees uploads already finished, so several arriving at once
 * could each pass it; here the user's finishing uploads take turns (a transaction-scoped
 * advisory lock per user) and each counts the ones finished before it, so the limit holds
 * exactly: the upload that would cross it is refused (429) and its bytes deleted.
 * Undefined when the row is gone (the account was deleted meanwhile).
 */
async function finishUpload(db: Executor, e: Env, userUuid: string, id: string, facts: Measured): Promise<Upload | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`uploads:bytes:${userUuid}`}))`);
    const quota = await bytesThisHour(tx, userUuid);
    if (quota.used + facts.bytes > e.UPLOAD_RATE_LIMIT_BYTES_PER_HOUR) throw new TooManyRequestsError(quota.retryAfter);
    const [row] = await tx
      .update(uploads)
      .set({
        status: "ready",
        kind: facts.kind,
        contentType: facts.contentType,
        bytes: facts.bytes,
        width: facts.width,
        height: facts.height,
        durationSeconds: facts.durationSeconds,
      })
      .where(and(eq(uploads.id, id), eq(uploads.status, "receiving")))
      .returning();
    return row;
  });
}

/** Drops an upload that did not complete: its object (if any) and its row. */
async function discardUpload(db: Executor, store: StorageDriver, id: string): Promise<void> {
  await store.delete(uploadKey(id)).catch((error) => logger.error({ upload: id, error: (error as Error).message }, "[uploads] deleting a failed upload's object failed"));
  await db.delete(uploads).where(and(eq(uploads.id, id), eq(uploads.status, "receiving")));
}

/**
 * How much of a refused upload is read and thrown away (while the answer goes out)
 * before the connection is cut: enough for a client that reads the answer only after
 * sending (fetch, curl) to see it for a moderately oversized file, while a huge one is
 * cut early. The same trade as src/lib/http/body.ts.
 */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;

function abandon(source: Readable) {
  let discarded = 0;
  source.unpipe();
  source.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_MAX_BYTES) source.destroy();
  });
  source.on("error", () => {});
  source.resume();
}

export interface ReceiveUploadRequest {
  userUuid: string;
  /** The request's Content-Type (multipart/form-data; boundary=...). */
  contentType: string | null;
  /** The request's Content-Length, when declared. */
  contentLength: number | null;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * POST /api/uploads: reads the multipart body as a stream (the field `file`), and
 * stores the file while it arrives, never holding it whole. Answers the stored upload,
 * or throws: 400 no file / empty / malformed, 401 inactive account, 413 over the kind's
 * cap (decided from the first bytes; the largest cap until then), 415 not multipart or
 * bytes that are not an accepted, whole, measurable image/audio/video, 429 over the
 * user's hourly count or bytes. A refused upload leaves nothing in storage.
 */
export async function receiveUpload(
  request: ReceiveUploadRequest,
  options: { db?: Executor; storage?: StorageDriver; env?: Env } = {},
): Promise<UploadDto> {
  const db = options.db ?? getDb();
  const store = options.storage ?? defaultStorage();
  const e = options.env ?? env();
  const source = request.body ? Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>) : null;
  source?.on("error", () => {});
  const refuse = (error: Error): never => {
    if (source) abandon(source);
    throw error;
  };

  const mediaType = (request.contentType ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== "multipart/form-data" || !/boundary=/i.test(request.contentType ?? "")) {
    refuse(new UnsupportedMediaTypeError("Content-Type must be multipart/form-data with the file in the field `file`"));
  }
  const caps = uploadCaps(e);
  const largest = Math.max(...Object.values(caps));
  if (request.contentLength !== null && request.contentLength > largest + MULTIPART_OVERHEAD) {
    refuse(new UploadTooLargeError(largest, null));
  }
  if (!source) refuse(new BadRequestError("file: is required", "file"));

  const quota = await bytesThisHour(db, request.userUuid);
  const quotaBytes = e.UPLOAD_RATE_LIMIT_BYTES_PER_HOUR - quota.used;
  if (quotaBytes <= 0) refuse(new TooManyRequestsError(quota.retryAfter));
  const overQuota = () => new TooManyRequestsError(quota.retryAfter);

  let bb: Busboy.Busboy;
  try {
    bb = Busboy({
      headers: { "content-type": request.contentType! },
      limits: { files: 1, fileSize: largest + 1, fields: 20, fieldSize: 4096, parts: 30, headerPairs: 20 },
      defParamCharset: "utf8",
    });
  } catch {
    return refuse(new UnsupportedMediaTypeError("Content-Type must be multipart/form-data with the file in the field `file`"));
  }
  const file = new Promise<{ stream: Readable; filename: string | undefined }>((resolve, reject) => {
    bb.on("file", (field, stream, info) => {
      if (field !== "file") {
        stream.resume();
        reject(new BadRequestError(`file: send the file in the field \`file\` (got \`${field.replace(/[^\x20-\x7e]/g, "?").slice(0, 50)}\`)`, "file"));
        return;
      }
      resolve({ stream, filename: info.filename });
    });
    bb.on("close", () => reject(new BadRequestError("file: is required", "file")));
    bb.on("error", () => reject(new BadRequestError("body: malformed multipart body", "body")));
  });
  const finished = new Promise<void>((resolve) => bb.on("close", resolve));
  file.catch(() => {});
  source!.pipe(bb);

  let part: { stream: Readable; filename: string | undefined };
  try {
    part = await file;
  } catch (error) {
    return refuse(error as Error);
  }

  const id = crypto.randomUUID();
  try {
    await startUpload(db, e, request.userUuid, id, cleanFileName(part.filename));
  } catch (error) {
    return refuse(error as Error);
  }

  let row: Upload | undefined;
  try {
    const inspected = inspectUpload(part.stream, { caps, quotaBytes, overQuota });
    // The type is known from the first bytes before anything is written.
    const { contentType } = await inspected.sniff();
    const stored = await store.put(uploadKey(id), Readable.from(inspected.chunks(), { objectMode: false }), { contentType });
    const facts = inspected.result();
    if (stored.bytes !== facts.bytes) throw new Error(`stored ${stored.bytes} bytes of ${facts.bytes}`);
    row = await finishUpload(db, e, request.userUuid, id, facts);
    // The account was deleted while the bytes arrived (its uploads went with it).
    if (!row) throw new UnauthorizedError();
  } catch (error) {
    await discardUpload(db, store, id);
    if (!(error instanceof AppError)) logger.error({ upload: id, error: (error as Error).message }, "[uploads] storing an upload failed");
    return refuse(error as Error);
  }
  await finished;
  logger.info({ upload: id, kind: row.kind, bytes: row.bytes }, "[uploads] stored");
  return toDto(row, store);
}

/** GET /api/uploads: the user's unexpired uploads, newest first. */
export async function listUploads(
  userUuid: string,
  options: { limit?: number; kind?: UploadKind } = {},
  db: Executor = getDb(),
): Promise<UploadDto[]> {
  const rows = await db
    .select()
    .from(uploads)
    .where(
      and(
        eq(uploads.userUuid, userUuid),
        eq(uploads.status, "ready"),
        gt(uploads.expiresAt, sql`now()`),
        options.kind ? eq(uploads.kind, options.kind) : undefined,
      ),
    )
    .orderBy(desc(uploads.createdAt))
    .limit(Math.min(50, Math.max(1, options.limit ?? 20)));
  const store = defaultStorage();
  return Promise.all(rows.map((row) => toDto(row, store)));
}

/** GET /api/uploads/{id}: one of the user's uploads (404 missing, 403 someone else's). */
export async function getUpload(id: string, userUuid: string, db: Executor = getDb()): Promise<UploadDto> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id) ? await db.select().from(uploads).where(eq(uploads.id, id)) : [];
  if (!row || row.status !== "ready") throw new NotFoundError("upload not found");
  if (row.userUuid !== userUuid) throw new ForbiddenError("not your upload");
  return toDto(row);
}

// ---------------------------------------------------------------------------
// Task inputs
// ---------------------------------------------------------------------------

const kindWords: Record<UploadKind, string> = { image: "an image", audio: "audio", video: "a video" };

/**
 * Checks every upload field of a task's (validated) input before anything is charged:
 * the upload exists, is the caller's, is stored and unexpired, of an accepted kind and
 * size. Otherwise a 400 naming the field (another user's upload reads as unknown).
 * Answers the uploads' measured facts by field, for the type's cost and providers.
 */
export async function resolveTaskFiles(
  fields: Record<string, UploadFieldSpec>,
  input: Record<string, unknown>,
  userUuid: string,
  db: Executor = getDb(),
): Promise<Record<string, UploadFacts>> {
  const wanted = Object.entries(fields).filter(([name]) => typeof input[name] === "string");
  if (wanted.length === 0) return {};
  const ids = [...new Set(wanted.map(([name]) => input[name] as string))];
  const rows = await db
    .select({
      id: uploads.id,
      userUuid: uploads.userUuid,
      status: uploads.status,
      kind: uploads.kind,
      contentType: uploads.contentType,
      bytes: uploads.bytes,
      width: uploads.width,
      height: uploads.height,
      durationSeconds: uploads.durationSeconds,
      expired: sql<boolean>`${uploads.expiresAt} <= now()`,
    })
    .from(uploads)
    .where(inArray(uploads.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const files: Record<string, UploadFacts> = {};
  for (const [name, spec] of wanted) {
    const row = byId.get(input[name] as string);
    if (!row || row.userUuid !== userUuid || row.status !== "ready") throw new BadRequestError(`${name}: no such upload`, name);
    if (row.expired) throw new BadRequestError(`${name}: the upload has expired; upload the file again`, name);
    const kind = row.kind as UploadKind;
    if (!spec.kinds.includes(kind)) throw new BadRequestError(`${name}: must be ${spec.kinds.map((k) => kindWords[k]).join(" or ")}, got ${kindWords[kind]}`, name);
    if (spec.maxBytes !== undefined && row.bytes! > spec.maxBytes) throw new BadRequestError(`${name}: must be at most ${spec.maxBytes} bytes`, name);
    if (spec.maxPixels !== undefined && (row.width ?? 0) * (row.height ?? 0) > spec.maxPixels) {
      throw new BadRequestError(`${name}: must be at most ${spec.maxPixels} pixels, got ${row.width}x${row.height}`, name);
    }
    if (spec.maxDurationSeconds !== undefined && (row.durationSeconds ?? 0) > spec.maxDurationSeconds) {
      throw new BadRequestError(`${name}: must be at most ${spec.maxDurationSeconds} seconds long, got ${row.durationSeconds} s`, name);
    }
    files[name] = {
      id: row.id,
      kind,
      contentType: row.contentType!,
      bytes: row.bytes!,
      width: row.width,
      height: row.height,
      durationSeconds: row.durationSeconds,
    };
  }
  return files;
}

/**
 * Links a new task's uploads to it, in the task's transaction: each must still be the
 * user's and unexpired (the sweeper may have just deleted it); an upload keeps its
 * first task. 400 naming the field otherwise, which rolls the task and its debit back.
 */
export async function linkUploads(tx: Executor, taskUuid: string, userUuid: string, files: Record<string, UploadFacts>): Promise<void> {
  const ids = [...new Set(Object.values(files).map((f) => f.id))];
  if (ids.length === 0) return;
  const linked = await tx
    .update(uploads)
    .set({ taskUuid: sql`coalesce(${uploads.taskUuid}, ${taskUuid})` })
    .where(and(inArray(uploads.id, ids), eq(uploads.userUuid, userUuid), eq(uploads.status, "ready"), gt(uploads.expiresAt, sql`now()`)))
    .returning({ id: uploads.id });
  const found = new Set(linked.map((r) => r.id));
  const missing = Object.entries(files).find(([, f]) => !found.has(f.id));
  if (missing) throw new BadRequestError(`${missing[0]}: the upload has expired; upload the file again`, missing[0]);
}

/** A signed URL of a task's input for its provider, valid UPLOAD_PROVIDER_URL_TTL_SECONDS. */
export function signedUploadUrl(upload: Pick<UploadFacts, "id">, store: StorageDriver = defaultStorage()): Promise<string> {
  return store.signedUrl(uploadKey(upload.id), { ttlSeconds: env().UPLOAD_PROVIDER_URL_TTL_SECONDS });
}

// ---------------------------------------------------------------------------
// Cleanup
// ---------------------------------------------------------------------------

/** A `receiving` row this old was left by a server that died mid-upload. */
const STALE_RECEIVING_SECONDS = 6 * HOUR;

/**
 * The sweeper's round: deletes uploads no task used once they expire, and rows a crash
 * left `receiving`, with their objects. Rows go first (so no task can link an upload
 * whose bytes are being deleted); an object whose delete fails is logged and left for
 * the operator (its row is gone). At most `batch` per call. Returns how many were deleted.
 */
export async function sweepExpiredUploads(options: { batch?: number } = {}, db: Executor = getDb(), store: StorageDriver = defaultStorage()): Promise<number> {
  const batch = options.batch ?? 500;
  const deleted = rowsOf<{ storage_key: string }>(
    await db.execute(sql`
      DELETE FROM uploads WHERE id IN (
        SELECT id FROM uploads
        WHERE (task_uuid IS NULL AND expires_at <= now())
           OR (status = 'receiving' AND created_at <= now() - make_interval(secs => ${STALE_RECEIVING_SECONDS}))
        ORDER BY expires_at
        LIMIT ${batch}
        FOR UPDATE SKIP LOCKED
      ) AND (task_uuid IS NULL OR status = 'receiving')
      RETURNING storage_key`),
  );
  for (const { storage_key: key } of deleted) {
    await store.delete(key).catch((error) => logger.error({ key, error: (error as Error).message }, "[uploads] deleting an expired upload failed"));
  }
  return deleted.length;
}

/**
 * Account deletion: every upload of the user, rows in the caller's transaction (which
 * holds the user's row, so none starts meanwhile: an upload in flight finds its row gone
 * and deletes its bytes). Returns the storage keys to delete once it has committed.
 */
export async function forgetUploadsOf(userUuid: string, tx: Executor): Promise<string[]> {
  const rows = await tx.delete(uploads).where(eq(uploads.userUuid, userUuid)).returning({ key: uploads.storageKey });
  return rows.map((r) => r.key);
}
