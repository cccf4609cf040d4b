"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { NumberField, PromptField, SelectField } from "@/components/tasks/fields";
import { TaskRunner } from "@/components/tasks/task-runner";
import { initialChoice, initialNumberText, initialString } from "@/components/tasks/initial-input";
import type { TaskFormProps } from "@/app/[locale]/tasks/task-page";
import {
  ASPECT_RATIOS,
  TEXT2VIDEO_MAX_PROMPT_LENGTH,
  TEXT2VIDEO_DEFAULTS,
  TEXT2VIDEO_MAX_SECONDS,
  TEXT2VIDEO_MIN_SECONDS,
  textToVideoCost,
  type AspectRatio,
} from "@/tasks/text-to-video/limits";

const FIELDS = ["prompt", "seconds", "aspectRatio"];
/** The example prompts' keys in the catalog (tasks.t2v.examples.<key>). */
const EXAMPLES = ["boat", "clouds", "astronaut"] as const;

/** Text-to-video's own fields; submitting and following the task is the shared TaskRunner. */
export default function TextToVideoForm({ balance, initialTask, initialInput, topUp }: TaskFormProps) {
  const t = useTranslations("tasks");
  const [prompt, setPrompt] = useState(() => initialString(initialInput, "prompt", ""));
  const [seconds, setSeconds] = useState(() => initialNumberText(initialInput, "seconds", TEXT2VIDEO_DEFAULTS.seconds));
  const [aspectRatio, setAspectRatio] = useState<AspectRatio>(() => initialChoice(initialInput, "aspectRatio", ASPECT_RATIOS, TEXT2VIDEO_DEFAULTS.aspectRatio));

  const secondsNumber = Number(seconds);
  const secondsValid =
    seconds.trim() !== "" && Number.isInteger(secondsNumber) && secondsNumber >= TEXT2VIDEO_MIN_SECONDS && secondsNumber <= TEXT2VIDEO_MAX_SECONDS;
  const cost = secondsValid ? textToVideoCost(secondsNumber, aspectRatio) : null;

  return (
    <TaskRunner
      slug="text-to-video"
      testIdPrefix="t2v"
      balance={balance}
      topUp={topUp}
      initialTask={initialTask}
      body={() => ({ prompt, seconds: secondsNumber, aspectRatio })}
      cost={cost}
      costUnknown={t("t2v.costUnknown", { min: TEXT2VIDEO_MIN_SECONDS, max: TEXT2VIDEO_MAX_SECONDS })}
      submitLabel={t("t2v.submit")}
      fieldLabel={(field) => t(`fields.${FIELDS.includes(field) ? field : "body"}`)}
    >
      <PromptField
        id="t2v-prompt"
        label={t("t2v.prompt")}
        value={prompt}
        onChange={setPrompt}
        maxLength={TEXT2VIDEO_MAX_PROMPT_LENGTH}
        placeholder={t("t2v.promptPlaceholder")}
        examples={{ label: t("runner.examples"), prompts: EXAMPLES.map((key) => t(`t2v.examples.${key}`)) }}
        hint={t("t2v.promptHint", { count: prompt.trim().length, max: TEXT2VIDEO_MAX_PROMPT_LENGTH })}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <NumberField
          id="t2v-seconds"
          label={t("t2v.seconds")}
          value={seconds}
          onChange={setSeconds}
          min={TEXT2VIDEO_MIN_SECONDS}
          max={TEXT2VIDEO_MAX_SECONDS}
          hint={t("t2v.secondsHint", { min: TEXT2VIDEO_MIN_SECONDS, max: TEXT2VIDEO_MAX_SECONDS })}
        />
        <SelectField
          id="t2v-aspect"
          label={t("t2v.aspect")}
          value={aspectRatio}
          onChange={setAspectRatio}
          options={ASPECT_RATIOS.map((a) => ({ value: a, label: t(`t2v.aspects.${a}`) }))}
        />
      </div>
    </TaskRunner>
  );
}
