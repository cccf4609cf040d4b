"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { TaskRunner } from "@/components/tasks/task-runner";
import type { TaskDto } from "@/services/tasks/queries";
import { IMAGE_SIZES, TEXT2IMAGE_MAX_PROMPT_LENGTH, textToImageCost, type ImageSize } from "./limits";

/** Text-to-image's own fields; submitting and following the task is the shared TaskRunner. */
export function TextToImageForm({ balance, initialTask }: { balance: number; initialTask: TaskDto | null }) {
  const t = useTranslations("taskTypes.text_to_image.page");
  const [prompt, setPrompt] = useState("");
  const [size, setSize] = useState<ImageSize>("1024x1024");

  return (
    <TaskRunner
      slug="text-to-image"
      testIdPrefix="t2i"
      balance={balance}
      initialTask={initialTask}
      body={() => ({ prompt, size })}
      cost={textToImageCost(size)}
      submitLabel={t("submit")}
      fieldLabel={(field) => (field === "prompt" || field === "size" ? t(field) : t("form"))}
    >
      <div>
        <label htmlFor="t2i-prompt" className="block text-sm font-medium">
          {t("prompt")}
        </label>
        <textarea
          id="t2i-prompt"
          data-testid="t2i-prompt"
          required
          rows={3}
          maxLength={TEXT2IMAGE_MAX_PROMPT_LENGTH}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          placeholder={t("promptPlaceholder")}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
        />
      </div>
      <fieldset>
        <legend className="block text-sm font-medium">{t("size")}</legend>
        <div className="mt-2 flex flex-wrap gap-3">
          {IMAGE_SIZES.map((s) => (
            <label key={s} className="flex items-center gap-2 rounded-lg border border-slate-300 px-3 py-2 text-sm has-[:checked]:border-brand-600">
              <input type="radio" name="size" value={s} checked={size === s} onChange={() => setSize(s)} data-testid={`t2i-size-${s}`} />
              {t(`sizes.${s}`)} · {t("credits", { credits: textToImageCost(s) })}
            </label>
          ))}
        </div>
      </fieldset>
    </TaskRunner>
  );
}
