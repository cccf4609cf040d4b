import { route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { eventStream } from "@/lib/sse";
import { getTaskForUser, toTaskDto, watchTask } from "@/services/tasks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// GET /api/tasks/<uuid>/events: the signed-in user's task as server-sent events, one
// `task` event (the task DTO) now and on each status or progress change, until it is
// finished. 401 signed out, 404 unknown, 403 someone else's (JSON, before any stream).
export const GET = route<Context>(async (request, { params }) => {
  const user = await requireUser();
  const { id } = await params;
  const task = await getTaskForUser(id, user.uuid, { refresh: false });
  return eventStream(
    async function* (signal) {
      for await (const current of watchTask(task, { signal })) {
        yield { event: "task", data: await toTaskDto(current, user.uuid) };
      }
    },
    { signal: request.signal },
  );
});
