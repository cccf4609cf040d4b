import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { pageQuery } from "@/lib/pagination";
import { listTasks, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

// The signed-in user's tasks, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  const user = await requireUser();
  const list = await listTasks(user.uuid, pageQuery(request));
  return ok({ ...list, items: await Promise.all(list.items.map((t) => toTaskDto(t, user.uuid))) });
});
