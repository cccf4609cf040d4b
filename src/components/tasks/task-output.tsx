import type { TaskDto } from "@/services/tasks";

/** A finished task's output, as the element its output kind calls for. */
export function TaskOutput({
  task,
  alt,
  testId = "task-output",
  large = false,
}: {
  task: Pick<TaskDto, "outputUrl" | "outputKind" | "userInput">;
  alt?: string;
  testId?: string;
  /** The generator page shows it big; history rows small. */
  large?: boolean;
}) {
  const height = large ? "max-h-[70vh]" : "max-h-80";
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
          className={`${height} w-full rounded-lg bg-slate-100 object-contain`}
          data-testid={testId}
        />
      );
    case "audio":
      return <audio src={url} controls preload="metadata" className="w-full" data-testid={testId} />;
    case "video":
      return (
        <video key={url} src={url} controls playsInline preload="metadata" className={`${height} w-full rounded-lg bg-black object-contain`} data-testid={testId} />
      );
    default:
      return (
        <a href={url} className="text-sm font-medium text-brand-700 underline" data-testid={testId}>
          {url}
        </a>
      );
  }
}
