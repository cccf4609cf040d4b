import { after } from "next/server";
import { ok, parseJson, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { createTextToVideoTask, textToVideoInput, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

// 201 with the new task; 200 with the first task when the Idempotency-Key was seen before.
export const POST = route(async (request) => {
  const input = await parseJson(request, textToVideoInput);
  const user = await requireUser();
  const { task, created } = await createTextToVideoTask(
    { userUuid: user.uuid, ...input, idempotencyKey: request.headers.get("idempotency-key") },
    { background: after },
  );
  return ok(
    { task: toTaskDto(task) },
    { status: created ? 201 : 200, headers: created ? undefined : { "Idempotent-Replayed": "true" } },
  );
});
