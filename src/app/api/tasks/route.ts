import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { pageQuery } from "@/lib/pagination";
import { listTasks, parseTaskFilters, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

// The signed-in user's tasks, newest first: ?page=N[&pageSize=M][&type=<task type>][&status=<status>]
// (a bad type or status: 400 naming it).
export const GET = route(async (request) => {
  const user = await requireUser();
  const params = new URL(request.url).searchParams;
  const filters = parseTaskFilters({ type: params.get("type"), status: params.get("status") });
  const list = await listTasks(user.uuid, { ...pageQuery(request), ...filters });
  return ok({ ...list, items: await Promise.all(list.items.map((t) => toTaskDto(t, user.uuid))) });
});
