"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ChoiceCards } from "@/components/tasks/fields";
import { TaskRunner } from "@/components/tasks/task-runner";
import { initialChoice } from "@/components/tasks/initial-input";
import { UploadField, type UploadedFile } from "@/components/tasks/upload-field";
import type { TaskFormProps } from "@/services/tasks/define";
import { imageUpscaleCost, UPSCALE_IMAGE, UPSCALE_SCALES, upscaledSize, type UpscaleScale } from "./limits";

/** Image upscale's fields: the photo (uploaded first) and the scale; the cost follows the photo's measured size. */
export default function ImageUpscaleForm({ balance, initialTask, initialInput, topUp }: TaskFormProps) {
  const t = useTranslations("taskTypes.image_upscale.page");
  const [image, setImage] = useState<UploadedFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [scale, setScale] = useState<UpscaleScale>(() => initialChoice(initialInput, "scale", UPSCALE_SCALES, 2));
  const size = image?.width && image.height ? { width: image.width, height: image.height } : null;

  return (
    <TaskRunner
      topUp={topUp}
      slug="image-upscale"
      testIdPrefix="upscale"
      balance={balance}
      initialTask={initialTask}
      body={() => ({ image: image?.id, scale })}
      cost={size ? imageUpscaleCost(size.width, size.height, scale) : null}
      costUnknown={t("costUnknown")}
      ready={!!image && !busy}
      submitLabel={t("submit")}
      fieldLabel={(field) => (field === "image" || field === "scale" ? t(field) : t("form"))}
    >
      <UploadField id="upscale-photo" label={t("image")} spec={UPSCALE_IMAGE} value={image} onChange={setImage} onBusy={setBusy} />
      <ChoiceCards
        id="upscale-scale"
        name="scale"
        legend={t("scale")}
        value={scale}
        onChange={setScale}
        options={UPSCALE_SCALES.map((s) => {
          const out = size ? upscaledSize(size.width, size.height, s) : null;
          return {
            value: s,
            label:
              out && size
                ? t("scaleOption", { scale: s, width: out.width, height: out.height, credits: imageUpscaleCost(size.width, size.height, s) })
                : t("scaleUnknown", { scale: s }),
          };
        })}
      />
    </TaskRunner>
  );
}
