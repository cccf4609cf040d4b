"use client";

import { CameraIcon, FileAudioIcon, HistoryIcon, MicIcon, UploadIcon, XIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore, type DragEvent } from "react";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { apiFetch } from "@/lib/http/api-client";
import { clsx } from "clsx";
import {
  acceptAttribute,
  checkFile,
  checkMeasured,
  formatBytes,
  formatDuration,
  formatNames,
  startUpload,
  type UploadedFile,
  type UploadFieldSpec,
  type UploadHandle,
  type UploadProblem,
} from "./upload-api";

export type { UploadedFile } from "./upload-api";

export interface UploadFieldProps {
  /** The field's id: its file input is `<id>-input`; test ids start with it. */
  id: string;
  label: string;
  hint?: string;
  /** What the type's field accepts (the same constant its `uploadField(...)` is made from). */
  spec: UploadFieldSpec;
  value: UploadedFile | null;
  onChange: (upload: UploadedFile | null) => void;
  /** Tells the form an upload is in flight (its submit waits). */
  onBusy?: (busy: boolean) => void;
}

type Phase = { state: "idle" } | { state: "checking" } | { state: "uploading"; percent: number };

// A touch screen (phones, tablets): the camera/recorder button is offered there only.
const COARSE = "(pointer: coarse)";
const coarsePointer = () => window.matchMedia(COARSE).matches;
function subscribeCoarsePointer(onChange: () => void) {
  const query = window.matchMedia(COARSE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/**
 * A file field: a drop zone and tap-to-pick (phones offer the camera roll; on touch screens
 * a second button opens the camera or the recorder), checks of the file's type and size —
 * and, decoded in the browser, an image's pixels or a recording's length — before any byte
 * is sent, then an upload with a real progress bar and cancel, a preview (an image's
 * thumbnail, a recording's name and length), and a list of recent uploads to reuse.
 */
export function UploadField({ id, label, hint, spec, value, onChange, onBusy }: UploadFieldProps) {
  const t = useTranslations("tasks.upload");
  const inputId = `${id}-input`;
  const describedBy = `${id}-hint`;
  const errorId = `${id}-error`;
  const [phase, setPhase] = useState<Phase>({ state: "idle" });
  const [problem, setProblem] = useState<UploadProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The file being sent, shown from the browser's copy (and, once stored, for that upload only).
  const [preview, setPreview] = useState<{ url: string; name: string; uploadId?: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const touch = useSyncExternalStore(subscribeCoarsePointer, coarsePointer, () => false);
  const upload = useRef<UploadHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const isImage = spec.kinds.length === 1 && spec.kinds[0] === "image";
  const maxBytes = spec.maxBytes;

  useEffect(() => () => upload.current?.abort(), []);
  // A local preview lives until it is replaced or the field goes away.
  const previewUrl = preview?.url;
  useEffect(() => () => (previewUrl ? URL.revokeObjectURL(previewUrl) : undefined), [previewUrl]);
  useEffect(() => onBusy?.(phase.state !== "idle"), [phase.state, onBusy]);

  const take = useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      upload.current?.abort();
      setProblem(null);
      setNotice(null);
      const early = checkFile(file, spec);
      if (early) return setProblem(early);
      const url = URL.createObjectURL(file);
      setPreview({ url, name: file.name });
      setPhase({ state: "checking" });
      const measured = await checkMeasured(file, url, spec);
      if (measured) {
        setPhase({ state: "idle" });
        setPreview(null);
        return setProblem(measured);
      }
      setPhase({ state: "uploading", percent: 0 });
      const handle = startUpload(file, (percent) => setPhase({ state: "uploading", percent }));
      upload.current = handle;
      try {
        const stored = await handle.done;
        setPreview({ url, name: file.name, uploadId: stored.id });
        onChange(stored);
      } catch (error) {
        if (error === "aborted") setNotice(t("cancelled"));
        else setProblem(error as UploadProblem);
        setPreview(null);
      } finally {
        if (upload.current === handle) upload.current = null;
        setPhase({ state: "idle" });
      }
    },
    [spec, onChange, t],
  );

  // A file picked before the page hydrated (the change event came before React's handler)
  // is still in the input: take it now rather than drop it silently.
  useEffect(() => {
    const early = input.current?.files?.[0];
    if (early && input.current) {
      input.current.value = "";
      void take(early);
    }
    // Once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (phase.state === "idle") void take(event.dataTransfer.files[0]);
  };

  const problemText = problem ? problemMessage(t, problem) : null;
  const accepts = t("accepts", { types: formatNames(spec.kinds), max: maxBytes ? formatBytes(maxBytes) : "—" });
  const busy = phase.state !== "idle";

  return (
    <div className="grid gap-2" role="group" aria-labelledby={`${id}-label`} data-testid={id}>
      <span id={`${id}-label`} className="text-sm leading-none font-medium select-none">
        {label}
      </span>
      <div
        onDragOver={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid={`${id}-dropzone`}
        data-dragging={dragging || undefined}
        className={clsx(
          "rounded-lg border-2 p-4 transition-colors",
          dragging ? "border-primary bg-accent" : "border-input",
          value && !busy ? "border-solid" : "border-dashed",
        )}
      >
        {value && !busy ? (
          <Chosen file={value} localUrl={preview?.uploadId === value.id ? preview.url : undefined} t={t} testId={`${id}-preview`} />
        ) : busy ? (
          <div className="space-y-3" aria-live="polite">
            {preview && isImage && (
              // eslint-disable-next-line @next/next/no-img-element
              <img src={preview.url} alt={t("previewAlt", { name: preview.name })} className="h-24 w-24 rounded-md bg-muted object-cover" />
            )}
            <p className="truncate text-sm">{preview?.name}</p>
            {phase.state === "uploading" && (
              <>
                <Progress value={phase.percent} aria-label={t("progress")} data-testid={`${id}-progress`} data-percent={phase.percent} />
                <div className="flex items-center justify-between gap-2">
                  <span className="text-xs text-muted-foreground">{t("uploading", { percent: phase.percent })}</span>
                  <Button type="button" variant="outline" size="sm" onClick={() => upload.current?.abort()} data-testid={`${id}-cancel`}>
                    <XIcon aria-hidden />
                    {t("cancel")}
                  </Button>
                </div>
              </>
            )}
          </div>
        ) : (
          <div className="flex flex-col items-center gap-2 py-4 text-center">
            <UploadIcon className="size-6 text-muted-foreground" aria-hidden />
            <p className="text-sm text-muted-foreground">{dragging ? t("dropActive") : t("drop")}</p>
          </div>
        )}
        <div className={clsx("flex flex-wrap items-center gap-2", (value || busy) && "mt-3", !value && !busy && "justify-center")}>
          {!busy && (
            <>
              {/* The input is the control (focusable, labelled); the label is what shows. */}
              <input
                ref={input}
                id={inputId}
                type="file"
                accept={acceptAttribute(spec.kinds)}
                className="peer sr-only"
                aria-describedby={problem ? `${describedBy} ${errorId}` : describedBy}
                aria-invalid={problem ? true : undefined}
                data-testid={`${id}-input`}
                onChange={(event) => {
                  void take(event.target.files?.[0]);
                  event.target.value = "";
                }}
              />
              <label
                htmlFor={inputId}
                className="inline-flex h-9 cursor-pointer items-center gap-2 rounded-md border border-input bg-background px-3 text-sm font-medium shadow-xs hover:bg-accent peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-ring dark:bg-input/30"
              >
                <UploadIcon className="size-4" aria-hidden />
                {value ? t("replace") : t("choose")}
              </label>
              {touch && <CaptureButton id={id} spec={spec} onFile={(f) => void take(f)} t={t} />}
              {value && (
                <Button type="button" variant="ghost" size="sm" onClick={() => onChange(null)} data-testid={`${id}-remove`}>
                  {t("remove")}
                </Button>
              )}
            </>
          )}
        </div>
      </div>
      <p id={describedBy} className="text-xs text-muted-foreground">
        {hint ? `${hint} · ` : ""}
        {accepts}
      </p>
      {problemText && (
        <p id={errorId} role="alert" className="text-sm text-destructive" data-testid={`${id}-error`} data-problem={problem!.key}>
          {problemText}
        </p>
      )}
      {notice && (
        <p role="status" className="text-sm text-muted-foreground" data-testid={`${id}-notice`}>
          {notice}
        </p>
      )}
      {!busy && <RecentUploads id={id} spec={spec} current={value} onPick={onChange} t={t} />}
    </div>
  );
}

type T = (key: string, values?: Record<string, string | number>) => string;

function problemMessage(t: T, problem: UploadProblem): string {
  switch (problem.key) {
    case "tooLarge":
      return t("errors.tooLarge", { size: formatBytes(problem.values.size), max: formatBytes(problem.values.max) });
    case "tooLong":
      return t("errors.tooLong", { duration: formatDuration(problem.values.duration), max: formatDuration(problem.values.max) });
    case "type":
    case "tooManyPixels":
    case "server":
    case "rateLimited":
      return t(`errors.${problem.key}`, problem.values);
    default:
      return t(`errors.${problem.key}`);
  }
}

/** Phones: straight to the camera (images) or the recorder (audio). */
function CaptureButton({ id, spec, onFile, t }: { id: string; spec: UploadFieldSpec; onFile: (file: File | undefined) => void; t: T }) {
  const image = spec.kinds.includes("image");
  const inputId = `${id}-capture`;
  return (
    <>
      <input
        id={inputId}
        type="file"
        accept={image ? "image/*" : "audio/*"}
        capture={image ? "environment" : true}
        className="peer/capture sr-only"
        data-testid={`${id}-capture`}
        onChange={(event) => {
          onFile(event.target.files?.[0]);
          event.target.value = "";
        }}
      />
      <label
        htmlFor={inputId}
        className="inline-flex h-9 cursor-pointer items-center gap-2 rounded-md px-3 text-sm font-medium hover:bg-accent peer-focus-visible/capture:outline-2 peer-focus-visible/capture:outline-offset-2 peer-focus-visible/capture:outline-ring"
      >
        {image ? <CameraIcon className="size-4" aria-hidden /> : <MicIcon className="size-4" aria-hidden />}
        {image ? t("takePhoto") : t("record")}
      </label>
    </>
  );
}

/** The chosen upload: an image's thumbnail, or a recording's name and length; and its measured facts. */
function Chosen({ file, localUrl, t, testId }: { file: UploadedFile; localUrl?: string; t: T; testId: string }) {
  const name = file.name ?? t("unnamed");
  return (
    <div className="flex items-center gap-3" data-testid={testId} data-upload={file.id}>
      {file.kind === "image" ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={localUrl ?? file.url} alt={t("previewAlt", { name })} className="h-20 w-20 shrink-0 rounded-md bg-muted object-cover" />
      ) : (
        <span className="flex h-12 w-12 shrink-0 items-center justify-center rounded-md bg-muted" aria-hidden>
          <FileAudioIcon className="size-6 text-muted-foreground" />
        </span>
      )}
      <div className="min-w-0 flex-1 space-y-1">
        <p className="truncate text-sm font-medium">{name}</p>
        <p className="text-xs text-muted-foreground">
          {file.kind === "image" && file.width && file.height
            ? t("imageFacts", { width: file.width, height: file.height, size: formatBytes(file.bytes) })
            : t("audioFacts", { duration: formatDuration(file.durationSeconds ?? 0), size: formatBytes(file.bytes) })}
        </p>
        {file.kind !== "image" && <audio src={file.url} controls preload="none" className="h-8 w-full max-w-xs" />}
      </div>
    </div>
  );
}

/** The user's recent uploads of an accepted kind (GET /api/uploads), loaded when opened. */
function RecentUploads({
  id,
  spec,
  current,
  onPick,
  t,
}: {
  id: string;
  spec: UploadFieldSpec;
  current: UploadedFile | null;
  onPick: (upload: UploadedFile) => void;
  t: T;
}) {
  const [items, setItems] = useState<UploadedFile[] | null>(null);
  const listId = useId();
  const load = async () => {
    if (items) return;
    const kind = spec.kinds.length === 1 ? `&kind=${spec.kinds[0]}` : "";
    const res = await apiFetch<{ uploads: UploadedFile[] }>(`/api/uploads?limit=12${kind}`);
    const fits = (u: UploadedFile) =>
      spec.kinds.includes(u.kind) &&
      (spec.maxBytes === undefined || u.bytes <= spec.maxBytes) &&
      (spec.maxPixels === undefined || (u.width ?? 0) * (u.height ?? 0) <= spec.maxPixels) &&
      (spec.maxDurationSeconds === undefined || (u.durationSeconds ?? 0) <= spec.maxDurationSeconds);
    setItems(res.ok ? res.data.uploads.filter(fits).slice(0, 6) : []);
  };
  return (
    <details className="group text-sm" onToggle={(event) => (event.currentTarget.open ? void load() : undefined)} data-testid={`${id}-recent`}>
      <summary className="inline-flex cursor-pointer items-center gap-1.5 rounded-sm text-muted-foreground hover:text-foreground">
        <HistoryIcon className="size-4" aria-hidden />
        {t("recent")}
      </summary>
      <div className="mt-2" id={listId}>
        {items === null ? (
          <p className="text-xs text-muted-foreground">{t("recentLoading")}</p>
        ) : items.length === 0 ? (
          <p className="text-xs text-muted-foreground">{t("recentEmpty")}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            {items.map((u) => {
              const name = u.name ?? t("unnamed");
              return (
                <li key={u.id}>
                  <button
                    type="button"
                    onClick={() => onPick(u)}
                    aria-pressed={current?.id === u.id}
                    aria-label={t("use", { name })}
                    data-testid={`${id}-recent-item`}
                    className="flex w-full items-center gap-2 rounded-md border border-input p-2 text-left hover:bg-accent aria-pressed:border-primary"
                  >
                    {u.kind === "image" ? (
                      // eslint-disable-next-line @next/next/no-img-element
                      <img src={u.url} alt="" className="h-10 w-10 shrink-0 rounded bg-muted object-cover" />
                    ) : (
                      <FileAudioIcon className="size-5 shrink-0 text-muted-foreground" aria-hidden />
                    )}
                    <span className="min-w-0">
                      <span className="block truncate text-xs font-medium">{name}</span>
                      <span className="block text-xs text-muted-foreground">
                        {u.kind === "image" && u.width ? `${u.width} × ${u.height}` : formatDuration(u.durationSeconds ?? 0)}
                      </span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </details>
  );
}
