import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import type { ComponentType } from "react";
import { getCurrentUser } from "@/lib/current-user";
import { ClientMessages } from "@/i18n/client-messages";
import { getUserCredits } from "@/services/credits";
import { getTaskForUser, toTaskDto, type TaskDto } from "@/services/tasks";
import { SignUpPrompt } from "./sign-up-prompt";

export type TaskFormProps = { balance: number; initialTask: TaskDto | null };

type PageProps = {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ task?: string | string[] }>;
};

/**
 * A task type's page: title, the type's form for a signed-in user (with the balance
 * and, for ?task=<uuid>, the task to follow), the sign-up prompt otherwise.
 * `messages` is the next-intl namespace holding `title` and `subtitle`.
 */
export function taskPage(messages: string, Form: ComponentType<TaskFormProps>) {
  async function generateMetadata({ params }: PageProps): Promise<Metadata> {
    const { locale } = await params;
    const t = await getTranslations({ locale, namespace: messages });
    return { title: t("title") };
  }

  async function TaskTypePage({ params, searchParams }: PageProps) {
    const { locale } = await params;
    setRequestLocale(locale);
    const t = await getTranslations(messages);
    const user = await getCurrentUser();

    let balance = 0;
    let initialTask: TaskDto | null = null;
    if (user) {
      balance = (await getUserCredits(user.uuid)).balance;
      // ?task=<uuid> (set on submit, or from the tasks list) resumes following that task.
      const { task } = await searchParams;
      if (typeof task === "string" && task) {
        initialTask = await getTaskForUser(task, user.uuid, { refresh: false }).then((row) => toTaskDto(row, user.uuid, { locale }), () => null);
      }
    }

    return (
      <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t("title")}</h1>
        <p className="mt-2 max-w-3xl text-muted-foreground">{t("subtitle")}</p>
        <div className="mt-6 sm:mt-8">
          {user ? (
            // The forms and the shared task runner read these (the type's own strings are under taskTypes).
            <ClientMessages namespaces={["tasks", "errors", "taskTypes"]}>
              <Form balance={balance} initialTask={initialTask} />
            </ClientMessages>
          ) : (
            <SignUpPrompt />
          )}
        </div>
      </div>
    );
  }

  return { generateMetadata, Page: TaskTypePage };
}
