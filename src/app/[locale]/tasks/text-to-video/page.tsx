import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { getCurrentUser } from "@/lib/current-user";
import { getUserCredits } from "@/services/credits";
import { getTaskForUser, toTaskDto, type TaskDto } from "@/services/tasks";
import { SignUpPrompt } from "../sign-up-prompt";
import { TextToVideoForm } from "./text-to-video-form";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "tasks.meta" });
  return { title: t("t2vTitle") };
}

export default async function TextToVideoPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ task?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("tasks.t2v");
  const user = await getCurrentUser();

  let balance = 0;
  let initialTask: TaskDto | null = null;
  if (user) {
    balance = (await getUserCredits(user.uuid)).balance;
    // ?task=<uuid> (from the tasks list) resumes following that task.
    const { task } = await searchParams;
    if (typeof task === "string" && task) {
      initialTask = await getTaskForUser(task, user.uuid, { refresh: false }).then(toTaskDto, () => null);
    }
  }

  return (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="mt-2 text-slate-600">{t("subtitle")}</p>
      <div className="mt-8">{user ? <TextToVideoForm balance={balance} initialTask={initialTask} /> : <SignUpPrompt />}</div>
    </div>
  );
}
