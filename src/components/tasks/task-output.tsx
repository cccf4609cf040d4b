import { FileTextIcon } from "lucide-react";
import { clsx } from "clsx";
import type { TaskDto } from "@/services/tasks";

/** A finished task's output, as the element its output kind calls for. */
export function TaskOutput({
  task,
  alt,
  testId = "task-output",
  large = false,
}: {
  task: Pick<TaskDto, "outputUrl" | "outputKind" | "summary">;
  alt?: string;
  testId?: string;
  /** The generator page shows it big; history cards small. */
  large?: boolean;
}) {
  const height = large ? "max-h-[70vh]" : "aspect-video";
  const url = task.outputUrl;
  if (!url) return null;
  switch (task.outputKind) {
    case "image":
      return (
        // Provider outputs live on other hosts; next/image would need each host configured.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={url}
          alt={alt ?? task.summary}
          loading="lazy"
          className={clsx(height, "w-full rounded-lg bg-muted object-contain")}
          data-testid={testId}
        />
      );
    case "audio":
      return <audio src={url} controls preload="metadata" className="w-full" data-testid={testId} />;
    case "video":
      // No poster is known for a task, so the video's first frame is its poster: metadata
      // preload plus the #t media fragment (the fragment is not sent, the signature holds)
      // makes browsers (Safari too) fetch and show that frame without playing.
      return (
        <video
          key={url}
          src={`${url}#t=0.001`}
          controls
          playsInline
          preload="metadata"
          className={clsx(height, "w-full rounded-lg bg-black object-contain")}
          data-testid={testId}
        />
      );
    case "text":
      // A text file (a transcript): its name and a link; the type's page shows the text itself.
      return (
        <a
          href={url}
          className={clsx(large ? "py-10" : "aspect-video", "flex w-full items-center justify-center gap-2 rounded-lg bg-muted text-sm font-medium text-primary underline-offset-4 hover:underline")}
          data-testid={testId}
        >
          <FileTextIcon className="size-5" aria-hidden />
          {alt ?? "TXT"}
        </a>
      );
    default:
      return (
        <a href={url} className="text-sm font-medium text-primary underline" data-testid={testId}>
          {url}
        </a>
      );
  }
}

/** The name a downloaded output is saved under; the browser adds the extension from its type. */
export function outputFileName(task: Pick<TaskDto, "type" | "uuid">): string {
  return `${task.type.replace(/_/g, "-")}-${task.uuid.slice(0, 8)}`;
}
