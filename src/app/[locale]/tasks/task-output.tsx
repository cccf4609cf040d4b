import type { TaskDto } from "@/services/tasks";

/** A finished task's output, as the element its output kind calls for. */
export function TaskOutput({ task, alt }: { task: Pick<TaskDto, "outputUrl" | "outputKind" | "userInput">; alt?: string }) {
  const url = task.outputUrl;
  if (!url) return null;
  switch (task.outputKind) {
    case "image":
      return (
        // Provider outputs live on other hosts; next/image would need each host configured.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={url}
          alt={alt ?? String((task.userInput as { prompt?: unknown } | null)?.prompt ?? "")}
          loading="lazy"
          className="max-h-80 w-full rounded-lg bg-slate-100 object-contain"
          data-testid="task-output"
        />
      );
    case "audio":
      return <audio src={url} controls preload="metadata" className="w-full" data-testid="task-output" />;
    case "video":
      return (
        <video src={url} controls playsInline preload="metadata" className="max-h-80 w-full rounded-lg bg-black object-contain" data-testid="task-output" />
      );
    default:
      return (
        <a href={url} className="text-sm font-medium text-brand-700 underline" data-testid="task-output">
          {url}
        </a>
      );
  }
}
