"use client";

import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState, useSyncExternalStore } from "react";
import { SelectField } from "@/components/tasks/fields";
import { TaskRunner } from "@/components/tasks/task-runner";
import { initialChoice } from "@/components/tasks/initial-input";
import { UploadField, type UploadedFile } from "@/components/tasks/upload-field";
import type { TaskFormProps } from "@/services/tasks/define";
import { COMMON_LANGUAGES, SPEECH2TEXT_AUDIO, SPEECH2TEXT_LANGUAGES, speechToTextCost } from "./limits";
import { TranscriptView } from "./transcript";

const AUTO = "auto";
const noSubscription = () => () => {};

/** Speech-to-text's fields: the recording (uploaded first) and its language; the result is the timed transcript. */
export default function SpeechToTextForm({ balance, initialTask, initialInput, topUp }: TaskFormProps) {
  const t = useTranslations("taskTypes.speech_to_text.page");
  const locale = useLocale();
  const [audio, setAudio] = useState<UploadedFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [language, setLanguage] = useState<string>(() => initialChoice<string>(initialInput, "language", SPEECH2TEXT_LANGUAGES, AUTO));
  // Language names in the page's language (Intl, named after hydration: the server's ICU
  // may name them differently from the browser's), the common ones first.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const options = useMemo(() => {
    const names = hydrated ? new Intl.DisplayNames([locale], { type: "language", fallback: "code" }) : null;
    const rest = SPEECH2TEXT_LANGUAGES.filter((l) => !COMMON_LANGUAGES.includes(l));
    return [
      { value: AUTO, label: t("languageAuto") },
      ...[...COMMON_LANGUAGES, ...rest].map((code) => ({ value: code, label: names?.of(code) ?? code })),
    ];
  }, [hydrated, locale, t]);

  return (
    <TaskRunner
      topUp={topUp}
      slug="speech-to-text"
      testIdPrefix="stt"
      balance={balance}
      initialTask={initialTask}
      body={() => ({ audio: audio?.id, ...(language === AUTO ? {} : { language }) })}
      cost={audio?.durationSeconds ? speechToTextCost(audio.durationSeconds) : null}
      costUnknown={t("costUnknown")}
      ready={!!audio && !busy}
      submitLabel={t("submit")}
      fieldLabel={(field) => (field === "audio" || field === "language" ? t(field) : t("form"))}
      renderOutput={(task) => <TranscriptView task={task} />}
    >
      <UploadField id="stt-audio" label={t("audio")} spec={SPEECH2TEXT_AUDIO} value={audio} onChange={setAudio} onBusy={setBusy} />
      <SelectField id="stt-language" label={t("language")} value={language} onChange={setLanguage} options={options} />
    </TaskRunner>
  );
}
