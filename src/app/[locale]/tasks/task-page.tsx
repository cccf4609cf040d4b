import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { topUpFor, type TopUp } from "@/services/payments/top-up";
import { getCurrentUser } from "@/lib/auth/current-user";
import { pageMetadata } from "@/lib/page-metadata";
import { ClientMessages } from "@/i18n/client-messages";
import { getUserCredits } from "@/services/credits/ledger";
import { getTaskForUser, taskTypes, toTaskDto, type AnyTaskType, type TaskDto } from "@/services/tasks";
import { TypeForm } from "@/components/tasks/type-form";
import { asInput } from "@/components/tasks/initial-input";

export type { TaskFormProps } from "@/services/tasks/define";

type PageProps = {
  params: Promise<{ locale: string; slug: string }>;
  searchParams: Promise<{ task?: string | string[]; from?: string | string[] }>;
};

/** The registered type with this slug and a form, or the 404 page. */
function typeOf(slug: string): AnyTaskType {
  const definition = taskTypes().find((d) => d.slug === slug);
  if (!definition?.form) notFound();
  return definition;
}

/** The user's own task named by a query parameter, or null (none, garbage, another user's: nothing of it is shown). */
async function ownTask(param: string | string[] | undefined, userUuid: string, locale: string): Promise<TaskDto | null> {
  if (typeof param !== "string" || !param) return null;
  return getTaskForUser(param, userUuid, { refresh: false }).then((row) => toTaskDto(row, userUuid, { locale }), () => null);
}

/** A task's input as the form's starting settings, when it is a task of this type. */
const inputOf = (task: TaskDto | null, type: string) => (task?.type === type ? asInput(task.userInput) : null);

/**
 * A task type's page (/<locale>/tasks/<slug>): title and the type's form, with the balance,
 * what to offer when it is short, for ?task=<uuid> the task to follow (its input fills the
 * form, so a reload restores both) and for ?from=<uuid> a task's input to use again. A
 * signed-out visitor gets the same form (example prompts, the live price); Generate then asks
 * to sign up, keeping what was typed (src/components/tasks/draft.ts). The type's
 * `pageMessages` namespace holds `title` and `subtitle`; its social card is `tasks/<slug>`.
 */
export function taskPage() {
  async function generateMetadata({ params }: PageProps): Promise<Metadata> {
    const { locale, slug } = await params;
    const t = await getTranslations({ locale, namespace: typeOf(slug).pageMessages });
    return pageMetadata({ locale, card: `tasks/${slug}`, title: t("title"), description: t("subtitle") });
  }

  async function TaskTypePage({ params, searchParams }: PageProps) {
    const { locale, slug } = await params;
    setRequestLocale(locale);
    const definition = typeOf(slug);
    const t = await getTranslations(definition.pageMessages);
    const user = await getCurrentUser();

    let balance: number | null = null;
    let initialTask: TaskDto | null = null;
    let initialInput: Record<string, unknown> | null = null;
    let topUp: TopUp = { kind: "buy" };
    let from: string | undefined;
    if (user) {
      const query = await searchParams;
      let fromTask: TaskDto | null;
      [balance, topUp, initialTask, fromTask] = await Promise.all([
        getUserCredits(user.uuid).then((c) => c.balance),
        topUpFor(user.uuid),
        ownTask(query.task, user.uuid, locale),
        ownTask(query.from, user.uuid, locale),
      ]);
      initialInput = inputOf(initialTask, definition.type) ?? inputOf(fromTask, definition.type);
      from = fromTask?.uuid;
    }

    return (
      <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t("title")}</h1>
        <p className="mt-2 max-w-3xl text-muted-foreground">{t("subtitle")}</p>
        <div className="mt-6 sm:mt-8">
          {/* The forms and the shared task runner read these (the type's own strings are under
              taskTypes; auth.verifyNotice: the Resend button of a shortfall before the email is confirmed).
              Only this type's form is loaded (TypeForm imports it by its slug, in its own chunk).
              key: "use this prompt again" (?from=) starts the form afresh with that task's input. */}
          <ClientMessages namespaces={["tasks", "errors", `taskTypes.${definition.type}`, "auth.verifyNotice"]}>
            <TypeForm key={from ?? ""} slug={definition.slug} balance={balance} initialTask={initialTask} initialInput={initialInput} topUp={topUp} />
          </ClientMessages>
        </div>
      </div>
    );
  }

  return { generateMetadata, Page: TaskTypePage };
}
