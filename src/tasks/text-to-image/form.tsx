"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ChoiceCards, PromptField } from "@/components/tasks/fields";
import { TaskRunner } from "@/components/tasks/task-runner";
import { initialChoice, initialString } from "@/components/tasks/initial-input";
import type { TaskFormProps } from "@/app/[locale]/tasks/task-page";
import { IMAGE_SIZES, TEXT2IMAGE_DEFAULTS, TEXT2IMAGE_MAX_PROMPT_LENGTH, textToImageCost, type ImageSize } from "./limits";

/** The example prompts' keys in the type's strings (page.examples.<key>, in index.ts). */
const EXAMPLES = ["ramen", "cabin", "fox"] as const;

/** Text-to-image's own fields; submitting and following the task is the shared TaskRunner. */
export default function TextToImageForm({ balance, initialTask, initialInput, topUp }: TaskFormProps) {
  const t = useTranslations("taskTypes.text_to_image.page");
  const runnerT = useTranslations("tasks.runner");
  const [prompt, setPrompt] = useState(() => initialString(initialInput, "prompt", ""));
  const [size, setSize] = useState<ImageSize>(() => initialChoice(initialInput, "size", IMAGE_SIZES, TEXT2IMAGE_DEFAULTS.size));

  return (
    <TaskRunner
      slug="text-to-image"
      testIdPrefix="t2i"
      balance={balance}
      topUp={topUp}
      initialTask={initialTask}
      body={() => ({ prompt, size })}
      cost={textToImageCost(size)}
      submitLabel={t("submit")}
      fieldLabel={(field) => (field === "prompt" || field === "size" ? t(field) : t("form"))}
    >
      <PromptField
        id="t2i-prompt"
        label={t("prompt")}
        value={prompt}
        onChange={setPrompt}
        maxLength={TEXT2IMAGE_MAX_PROMPT_LENGTH}
        placeholder={t("promptPlaceholder")}
        examples={{ label: runnerT("examples"), prompts: EXAMPLES.map((key) => t(`examples.${key}`)) }}
        rows={3}
      />
      {/* Each size shows its own price, so the sizes stay side by side rather than in a menu. */}
      <ChoiceCards
        id="t2i-size"
        name="size"
        legend={t("size")}
        value={size}
        onChange={setSize}
        options={IMAGE_SIZES.map((s) => ({ value: s, label: `${t(`sizes.${s}`)} · ${t("credits", { credits: textToImageCost(s) })}` }))}
      />
    </TaskRunner>
  );
}
