import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { getLatestTask, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

// data.task is null when the user has no task yet.
export const GET = route(async () => {
  const user = await requireUser();
  const task = await getLatestTask(user.uuid);
  return ok({ task: task ? await toTaskDto(task, user.uuid) : null });
});
