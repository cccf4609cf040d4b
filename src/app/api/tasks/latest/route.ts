import { ok, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { getLatestTask, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

// data.task is null when the user has no task yet.
export const GET = route(async (request) => {
  const user = await requireApiCaller(request);
  const task = await getLatestTask(user.uuid);
  return ok({ task: task ? await toTaskDto(task, user.uuid) : null });
});
