import { route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { eventStream } from "@/lib/http/sse";
import { getTaskForUser, openTaskWatch, toTaskDto, watchTask } from "@/services/tasks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// GET /api/tasks/<uuid>/events: the caller's task as server-sent events, one
// `task` event (the task DTO) now and on each status or progress change, until it is
// finished. 401 signed out, 404 unknown, 403 someone else's, 429 (Retry-After) beyond
// TASK_EVENTS_MAX_STREAMS_PER_USER open streams or the instance's cap (JSON, before any
// stream; the task page then polls GET /api/tasks/<uuid>).
export const GET = route<Context>(async (request, { params }) => {
  const user = await requireApiCaller(request);
  const { id } = await params;
  const task = await getTaskForUser(id, user.uuid, { refresh: false });
  const release = openTaskWatch(user.uuid);
  return eventStream(
    async function* (signal) {
      try {
        for await (const current of watchTask(task, { signal })) {
          yield { event: "task", data: await toTaskDto(current, user.uuid) };
        }
      } finally {
        release();
      }
    },
    { signal: request.signal },
  );
});
