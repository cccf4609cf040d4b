"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { NumberField, PromptField } from "@/components/tasks/fields";
import { TaskRunner } from "@/components/tasks/task-runner";
import { initialNumberText, initialString } from "@/components/tasks/initial-input";
import { UploadField, type UploadedFile } from "@/components/tasks/upload-field";
import type { TaskFormProps } from "@/services/tasks/define";
import {
  IMAGE2VIDEO_DEFAULT_SECONDS,
  IMAGE2VIDEO_IMAGE,
  IMAGE2VIDEO_MAX_PROMPT_LENGTH,
  IMAGE2VIDEO_MAX_SECONDS,
  IMAGE2VIDEO_MIN_SECONDS,
  imageToVideoCost,
} from "./limits";

const FIELDS = ["image", "prompt", "seconds"];

/** Image-to-video's fields: the photo (uploaded first), the motion and the length. */
export default function ImageToVideoForm({ balance, initialTask, initialInput, topUp }: TaskFormProps) {
  const t = useTranslations("taskTypes.image_to_video.page");
  const [image, setImage] = useState<UploadedFile | null>(null);
  const [busy, setBusy] = useState(false);
  // The photo is chosen again (an upload is used once); the motion and the length are restored.
  const [prompt, setPrompt] = useState(() => initialString(initialInput, "prompt", ""));
  const [seconds, setSeconds] = useState(() => initialNumberText(initialInput, "seconds", IMAGE2VIDEO_DEFAULT_SECONDS));
  const secondsNumber = Number(seconds);
  const secondsValid =
    seconds.trim() !== "" && Number.isInteger(secondsNumber) && secondsNumber >= IMAGE2VIDEO_MIN_SECONDS && secondsNumber <= IMAGE2VIDEO_MAX_SECONDS;
  const range = { min: IMAGE2VIDEO_MIN_SECONDS, max: IMAGE2VIDEO_MAX_SECONDS };

  return (
    <TaskRunner
      topUp={topUp}
      slug="image-to-video"
      testIdPrefix="i2v"
      balance={balance}
      initialTask={initialTask}
      body={() => ({ image: image?.id, prompt, seconds: secondsNumber })}
      cost={secondsValid ? imageToVideoCost(secondsNumber) : null}
      costUnknown={t("costUnknown", range)}
      ready={!!image && !busy}
      submitLabel={t("submit")}
      fieldLabel={(field) => t(FIELDS.includes(field) ? field : "form")}
    >
      <UploadField id="i2v-image" label={t("image")} spec={IMAGE2VIDEO_IMAGE} value={image} onChange={setImage} onBusy={setBusy} />
      <PromptField
        id="i2v-prompt"
        label={t("prompt")}
        value={prompt}
        onChange={setPrompt}
        maxLength={IMAGE2VIDEO_MAX_PROMPT_LENGTH}
        placeholder={t("promptPlaceholder")}
        rows={3}
      />
      <NumberField id="i2v-seconds" label={t("seconds")} value={seconds} onChange={setSeconds} {...range} hint={t("secondsHint", range)} />
    </TaskRunner>
  );
}
