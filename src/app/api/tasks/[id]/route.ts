import { after } from "next/server";
import { ok, parseJson, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { createTask, getTaskForUser, taskTypeBySlug, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// GET /api/tasks/<uuid>: the caller's task, brought up to date.
export const GET = route<Context>(async (request, { params }) => {
  const user = await requireApiCaller(request);
  const { id } = await params;
  return ok({ task: await toTaskDto(await getTaskForUser(id, user.uuid), user.uuid) });
});

// POST /api/tasks/<type slug> (text-to-video, text-to-image, ...; unknown: 404): creates a task.
// 201 with the new task; 200 with the first task when the Idempotency-Key was seen before
// with the same body; 422 when it was used with a different one.
export const POST = route<Context>(async (request, { params }) => {
  const definition = taskTypeBySlug((await params).id);
  const input = await parseJson(request, definition.input);
  const user = await requireApiCaller(request);
  const { task, created } = await createTask(
    definition,
    { userUuid: user.uuid, apiKeyId: user.apiKeyId, input, idempotencyKey: request.headers.get("idempotency-key") },
    { background: after },
  );
  return ok(
    { task: await toTaskDto(task, user.uuid) },
    { status: created ? 201 : 200, headers: created ? undefined : { "Idempotent-Replayed": "true" } },
  );
});
