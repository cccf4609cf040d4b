import { useTranslations } from "next-intl";
import { Badge, type badgeVariants } from "@/components/ui/badge";
import type { TaskDto } from "@/services/tasks";
import type { VariantProps } from "class-variance-authority";

const variants: Record<TaskDto["status"], VariantProps<typeof badgeVariants>["variant"]> = {
  queued: "secondary",
  running: "outline",
  succeeded: "success",
  failed: "destructive",
};

export function TaskStatusBadge({ status }: { status: TaskDto["status"] }) {
  const t = useTranslations("tasks.status");
  return (
    <Badge variant={variants[status]} data-status={status}>
      {t(status)}
    </Badge>
  );
}
