import { useTranslations } from "next-intl";
import type { TaskDto } from "@/services/tasks/queries";

/**
 * A task's cost in lists. Fixed price: "N credits", struck through and "refunded" when it
 * failed. Metered (creditsReserved set): "up to N credits" until it finished, then what its
 * hold settled, or "nothing charged" when it failed (the hold was released).
 */
export function TaskCost({ task }: { task: Pick<TaskDto, "status" | "creditsUsed" | "creditsReserved"> }) {
  const t = useTranslations("tasks.list");
  if (task.creditsReserved !== null) {
    if (task.status === "failed") return <>{t("released")}</>;
    if (task.status === "succeeded") return <>{t("cost", { credits: task.creditsUsed })}</>;
    return <>{t("costUpTo", { credits: task.creditsReserved })}</>;
  }
  return (
    <>
      <span className={task.status === "failed" ? "line-through" : undefined}>{t("cost", { credits: task.creditsUsed })}</span>
      {task.status === "failed" ? ` (${t("refunded")})` : ""}
    </>
  );
}
