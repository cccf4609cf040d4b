"use client";

import { DownloadIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import type { TaskDto } from "@/services/tasks/queries";
import { clock, isTranscript, toSrt } from "./limits";

/** A finished transcription: its segments with their start times, and the .txt and .srt downloads. */
export function TranscriptView({ task }: { task: TaskDto }) {
  const t = useTranslations("taskTypes.speech_to_text.page");
  const transcript = isTranscript(task.output) ? task.output : null;
  // The .srt is made in the browser from the segments (a data: URL to download); the .txt is the stored output.
  const srtUrl = useMemo(() => {
    const srt = transcript ? toSrt(transcript.segments) : "";
    return srt ? `data:application/x-subrip;charset=utf-8,${encodeURIComponent(srt)}` : null;
  }, [transcript]);
  const base = `transcript-${task.uuid.slice(0, 8)}`;

  return (
    <div className="space-y-3" data-testid="stt-transcript">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-medium">{t("segments")}</h3>
        {transcript?.language && <span className="text-xs text-muted-foreground">{t("detected", { language: transcript.language })}</span>}
      </div>
      {transcript && transcript.segments.length > 0 ? (
        <ol className="max-h-[50vh] space-y-2 overflow-y-auto rounded-lg bg-muted p-3 text-sm" aria-label={t("segments")} tabIndex={0}>
          {transcript.segments.map((s, i) => (
            <li key={i} className="grid grid-cols-[4.5rem_1fr] gap-2" data-testid="stt-segment" data-start={s.start} data-end={s.end}>
              <time className="font-mono text-xs text-muted-foreground tabular-nums" dateTime={`PT${s.start.toFixed(1)}S`}>
                {clock(s.start)}
              </time>
              <span>{s.text}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-muted-foreground">{t("empty")}</p>
      )}
      <div className="flex flex-wrap gap-2">
        {task.outputUrl && (
          <Button asChild variant="outline">
            <a href={task.outputUrl} download={`${base}.txt`} data-testid="stt-download-txt">
              <DownloadIcon aria-hidden />
              {t("downloadTxt")}
            </a>
          </Button>
        )}
        {srtUrl && (
          <Button asChild variant="outline">
            <a href={srtUrl} download={`${base}.srt`} data-testid="stt-download-srt">
              <DownloadIcon aria-hidden />
              {t("downloadSrt")}
            </a>
          </Button>
        )}
      </div>
    </div>
  );
}
