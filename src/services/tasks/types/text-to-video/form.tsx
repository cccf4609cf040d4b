"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { TaskRunner } from "@/components/tasks/task-runner";
import type { TaskDto } from "@/services/tasks/queries";
import {
  ASPECT_RATIOS,
  TEXT2VIDEO_MAX_PROMPT_LENGTH,
  TEXT2VIDEO_MAX_SECONDS,
  TEXT2VIDEO_MIN_SECONDS,
  textToVideoCost,
  type AspectRatio,
} from "@/services/tasks/types/text-to-video/limits";

const FIELDS = ["prompt", "seconds", "aspectRatio"];

/** Text-to-video's own fields; submitting and following the task is the shared TaskRunner. */
export function TextToVideoForm({ balance, initialTask }: { balance: number; initialTask: TaskDto | null }) {
  const t = useTranslations("tasks");
  const [prompt, setPrompt] = useState("");
  const [seconds, setSeconds] = useState("5");
  const [aspectRatio, setAspectRatio] = useState<AspectRatio>("landscape");

  const secondsNumber = Number(seconds);
  const secondsValid =
    seconds.trim() !== "" && Number.isInteger(secondsNumber) && secondsNumber >= TEXT2VIDEO_MIN_SECONDS && secondsNumber <= TEXT2VIDEO_MAX_SECONDS;
  const cost = secondsValid ? textToVideoCost(secondsNumber, aspectRatio) : null;

  return (
    <TaskRunner
      slug="text-to-video"
      testIdPrefix="t2v"
      balance={balance}
      initialTask={initialTask}
      body={() => ({ prompt, seconds: secondsNumber, aspectRatio })}
      cost={cost}
      costUnknown={t("t2v.costUnknown", { min: TEXT2VIDEO_MIN_SECONDS, max: TEXT2VIDEO_MAX_SECONDS })}
      submitLabel={t("t2v.submit")}
      fieldLabel={(field) => t(`fields.${FIELDS.includes(field) ? field : "body"}`)}
    >
      <div>
        <label htmlFor="t2v-prompt" className="block text-sm font-medium">
          {t("t2v.prompt")}
        </label>
        <textarea
          id="t2v-prompt"
          data-testid="t2v-prompt"
          required
          rows={4}
          maxLength={TEXT2VIDEO_MAX_PROMPT_LENGTH}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          placeholder={t("t2v.promptPlaceholder")}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
        />
        <p className="mt-1 text-xs text-slate-500">{t("t2v.promptHint", { count: prompt.trim().length, max: TEXT2VIDEO_MAX_PROMPT_LENGTH })}</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="t2v-seconds" className="block text-sm font-medium">
            {t("t2v.seconds")}
          </label>
          <input
            id="t2v-seconds"
            data-testid="t2v-seconds"
            type="number"
            inputMode="numeric"
            required
            min={TEXT2VIDEO_MIN_SECONDS}
            max={TEXT2VIDEO_MAX_SECONDS}
            step={1}
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
          />
          <p className="mt-1 text-xs text-slate-500">{t("t2v.secondsHint", { min: TEXT2VIDEO_MIN_SECONDS, max: TEXT2VIDEO_MAX_SECONDS })}</p>
        </div>
        <div>
          <label htmlFor="t2v-aspect" className="block text-sm font-medium">
            {t("t2v.aspect")}
          </label>
          <select
            id="t2v-aspect"
            data-testid="t2v-aspect"
            value={aspectRatio}
            onChange={(e) => setAspectRatio(e.target.value as AspectRatio)}
            className="mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
          >
            {ASPECT_RATIOS.map((a) => (
              <option key={a} value={a}>
                {t(`t2v.aspects.${a}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
    </TaskRunner>
  );
}
