// Per-user upload limits under concurrency, and how long an upload a task used lives, on
// PGlite and PostgreSQL (on PostgreSQL the concurrent uploads really overlap: each gets its
// own connection from the pool).
import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db";
import { uploads } from "@/db/schema";
import { env } from "@/lib/env";
import { TooManyRequestsError } from "@/lib/http/errors";
import { createMockProvider } from "@/services/ai/providers/mock";
import { storage } from "@/services/storage";
import { createTask, defineTaskType, registerTaskType } from "@/services/tasks";
import { receiveUpload, sweepExpiredUploads, uploadField, type UploadDto } from "@/services/uploads";
import { multipartFile, webStream } from "../support/multipart";
import { collector, userWith } from "../support/task-helpers";

const PNG = fs.readFileSync("tests/fixtures/image-512x512.png");

/** A request body that sends its first KiB (the part's headers and the file's first bytes), then waits for `release`. */
function gatedBody(body: Buffer, release: Promise<void>): ReadableStream<Uint8Array> {
  let sentHead = false;
  let offset = 1024;
  return new ReadableStream({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(new Uint8Array(body.subarray(0, offset)));
        return;
      }
      await release;
      if (offset >= body.length) return controller.close();
      controller.enqueue(new Uint8Array(body.subarray(offset, offset + 64 * 1024)));
      offset += 64 * 1024;
    },
  });
}

async function receivingRows(userUuid: string): Promise<number> {
  const rows = await getDb().select({ id: uploads.id }).from(uploads).where(sql`${uploads.userUuid} = ${userUuid} AND ${uploads.status} = 'receiving'`);
  return rows.length;
}

describe("the hourly bytes limit", () => {
  it("holds when uploads arrive at once: each passes the check at its start, only those within the limit are stored", async () => {
    const u = await userWith(0);
    // Room for two files of this size, not three.
    const e = { ...env(), UPLOAD_RATE_LIMIT_BYTES_PER_HOUR: Math.floor(PNG.length * 2.5) };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const attempts = [0, 1, 2].map(() => {
      const { contentType, body } = multipartFile(PNG, { filename: "photo.png" });
      return receiveUpload({ userUuid: u, contentType, contentLength: body.length, body: gatedBody(body, gate) }, { env: e });
    });
    // All three have passed the check made before the bytes (nothing stored yet) and are receiving.
    const started = Date.now();
    while ((await receivingRows(u)) < 3) {
      if (Date.now() - started > 20_000) throw new Error("the uploads did not all start");
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    const results = await Promise.allSettled(attempts);
    const stored = results.filter((r): r is PromiseFulfilledResult<UploadDto> => r.status === "fulfilled").map((r) => r.value);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
    expect(stored).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(TooManyRequestsError);
    // The refused one left nothing: no row, no object.
    const rows = await getDb().select().from(uploads).where(eq(uploads.userUuid, u));
    expect(rows.map((r) => r.status)).toEqual(["ready", "ready"]);
    const total = rows.reduce((sum, r) => sum + r.bytes!, 0);
    expect(total).toBeLessThanOrEqual(e.UPLOAD_RATE_LIMIT_BYTES_PER_HOUR);
  });
});

type Input = { image: string };
const reuse = defineTaskType({
  type: "test_reuse",
  slug: "test-reuse",
  transType: "task_test_reuse",
  outputKind: "image",
  input: z.object({ image: uploadField({ kinds: ["image"] }) }),
  cost: () => 1,
  pricing: {
    summary: "1 credit",
    minCredits: 1,
    maxCredits: 1,
    examples: [{ input: { image: "00000000-0000-4000-8000-000000000000" }, files: {} }],
  },
  defaultInput: { image: "" },
  providers: { mock: { create: () => createMockProvider<Input>({ delayMs: 0, samples: ["/demo/image/bloom-512x512.jpg"] }) } },
  labels: { en: { name: "Reuse", ledger: "Reuse", description: "Reuse." }, zh: { name: "复用", ledger: "复用", description: "复用。" } },
});

describe("an upload used by several tasks", () => {
  it("keeps its first task in task_uuid, and is kept after it expires for as long as any task used it", async () => {
    registerTaskType(reuse);
    const u = await userWith(10);
    const { contentType, body } = multipartFile(PNG, { filename: "photo.png" });
    const up = await receiveUpload({ userUuid: u, contentType, contentLength: body.length, body: webStream(body) });
    const bg = collector();
    const first = await createTask(reuse, { userUuid: u, input: { image: up.id } }, { background: bg.background });
    const second = await createTask(reuse, { userUuid: u, input: { image: up.id } }, { background: bg.background });
    await bg.settle();
    expect(second.task.uuid).not.toBe(first.task.uuid);
    const [linked] = await getDb().select().from(uploads).where(eq(uploads.id, up.id));
    expect(linked.taskUuid).toBe(first.task.uuid);

    // Past its expiry: it can start no new task, but the sweeper keeps it (tasks used it).
    await getDb().execute(sql`UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id = ${up.id}`);
    await sweepExpiredUploads();
    expect(await getDb().select().from(uploads).where(eq(uploads.id, up.id))).toHaveLength(1);
    expect(await storage().head(`uploads/${up.id}`)).toMatchObject({ bytes: PNG.length });
    await expect(createTask(reuse, { userUuid: u, input: { image: up.id } }, { background: bg.background })).rejects.toThrow(/image: the upload has expired/);

    // An expired upload no task used is swept, object and row.
    const { contentType: ct2, body: body2 } = multipartFile(PNG, { filename: "unused.png" });
    const unused = await receiveUpload({ userUuid: u, contentType: ct2, contentLength: body2.length, body: webStream(body2) });
    await getDb().execute(sql`UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id = ${unused.id}`);
    await sweepExpiredUploads();
    expect(await getDb().select().from(uploads).where(eq(uploads.id, unused.id))).toHaveLength(0);
    expect(await storage().head(`uploads/${unused.id}`)).toBeNull();
  });
});
