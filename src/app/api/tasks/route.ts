import { ok, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { pageQuery } from "@/lib/http/pagination";
import { listTasks, parseTaskFilters, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

// The caller's tasks, newest first: ?page=N[&pageSize=M][&type=<task type>][&status=<status>]
// (a bad type or status: 400 naming it).
export const GET = route(async (request) => {
  const user = await requireApiCaller(request);
  const params = new URL(request.url).searchParams;
  const filters = parseTaskFilters({ type: params.get("type"), status: params.get("status") });
  const list = await listTasks(user.uuid, { ...pageQuery(request), ...filters });
  return ok({ ...list, items: await Promise.all(list.items.map((t) => toTaskDto(t, user.uuid))) });
});
