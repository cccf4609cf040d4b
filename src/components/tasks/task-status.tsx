import { useTranslations } from "next-intl";
import type { TaskDto } from "@/services/tasks";

const tones: Record<TaskDto["status"], string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-blue-100 text-blue-800",
  succeeded: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
};

export function TaskStatusBadge({ status }: { status: TaskDto["status"] }) {
  const t = useTranslations("tasks.status");
  return (
    <span className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-medium ${tones[status]}`} data-status={status}>
      {t(status)}
    </span>
  );
}

export function TaskProgress({ progress, testId = "task-progress" }: { progress: number; testId?: string }) {
  const t = useTranslations("tasks.runner");
  return (
    <div
      role="progressbar"
      aria-valuenow={progress}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-label={t("progress", { progress })}
      data-testid={testId}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className="h-full bg-brand-600 transition-[width] duration-500" style={{ width: `${progress}%` }} />
    </div>
  );
}
