import { ok, parseInput, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { listUploads, receiveUpload, uploadListQuerySchema } from "@/services/uploads";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// POST /api/uploads (multipart/form-data, the file in the field `file`): streams it into
// private storage and answers 201 data.upload. 400 no/empty file, 401, 403 cross-origin,
// 413 over the kind's cap (connection cut early), 415 not an accepted image/audio/video,
// 429 past the hourly limits (Retry-After). See docs/tasks.md "Uploads".
export const POST = route(async (request) => {
  const user = await requireApiCaller(request);
  const length = request.headers.get("content-length");
  const upload = await receiveUpload({
    userUuid: user.uuid,
    contentType: request.headers.get("content-type"),
    contentLength: length && /^\d+$/.test(length) ? Number(length) : null,
    body: request.body,
  });
  return ok({ upload }, { status: 201 });
});

// GET /api/uploads[?kind=image|audio|video][&limit=N]: the caller's unexpired uploads, newest first.
export const GET = route(async (request) => {
  const user = await requireApiCaller(request);
  const params = new URL(request.url).searchParams;
  const { kind, limit } = parseInput(uploadListQuerySchema, { kind: params.get("kind") ?? undefined, limit: params.get("limit") ?? undefined });
  return ok({ uploads: await listUploads(user.uuid, { kind, limit }) });
});
