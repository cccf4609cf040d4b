import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { getTaskForUser, toTaskDto } from "@/services/tasks";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ uuid: string }> }>(async (_request, { params }) => {
  const user = await requireUser();
  const { uuid } = await params;
  return ok({ task: toTaskDto(await getTaskForUser(uuid, user.uuid)) });
});
