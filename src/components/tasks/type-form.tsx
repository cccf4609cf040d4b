"use client";

import { createElement, use, useEffect, useState, type ComponentType } from "react";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import type { TaskFormProps } from "@/services/tasks/define";
import { hasDraft } from "./draft-key";

const forms = new Map<string, Promise<ComponentType<TaskFormProps>>>();

/**
 * The form module of a type, imported by its slug: the default export of
 * src/tasks/<slug>/form.tsx. The bundler makes each type's form its own chunk, loaded only
 * on that type's page (in the browser; the server renders it too), so no shared file names
 * a type and no other page carries the forms' code.
 */
function formOf(slug: string): Promise<ComponentType<TaskFormProps>> {
  let form = forms.get(slug);
  if (!form) {
    form = (import(`../../tasks/${slug}/form`) as Promise<{ default: ComponentType<TaskFormProps> }>).then((m) => m.default);
    forms.set(slug, form);
  }
  return form;
}

/**
 * The form, rendered in place with no Suspense boundary of its own, as `next/dynamic` renders a
 * server-rendered component: the server waits for the module before it sends the page, and
 * hydration (or a client navigation) waits for its chunk. A boundary here made React stream the
 * form after the page's shell (a completed boundary after 12.8 kB of shell is sent last), so the
 * first paint showed the footer where the form goes and the form then pushed it down: a layout
 * shift of 0.45 on a phone (docs/benchmarks.md, "Lighthouse").
 */
function LoadedForm({ slug, ...props }: TaskFormProps & { slug: string }) {
  // One module per slug, cached above: the same component on every render (never remounted).
  return createElement(use(formOf(slug)), props);
}

/**
 * A task type's form on its page (/<locale>/tasks/<slug>). With no settings from the server
 * (no ?task= or ?from=), a draft kept in this browser through sign-up (./draft.ts) fills it:
 * read after hydration (the server cannot see it), the form then starts again with it, once,
 * under a note that nothing is charged until Generate is pressed.
 */
export function TypeForm(props: TaskFormProps & { slug: string }) {
  const t = useTranslations("tasks.runner");
  const { slug, initialInput } = props;
  const [draft, setDraft] = useState<Record<string, unknown> | null>(null);
  useEffect(() => {
    // Browser storage is read after hydration (the draft's code only when there is one); a
    // draft found restarts the form with it.
    if (initialInput || !hasDraft(slug)) return;
    void import("./draft").then(({ readDraft }) => {
      const kept = readDraft(slug);
      if (kept) setDraft((current) => current ?? kept);
    });
  }, [slug, initialInput]);
  return (
    <>
      {draft && props.balance !== null && (
        <div className="mb-4" data-testid="task-draft-kept">
          <Alert tone="info">{t("draftKept")}</Alert>
        </div>
      )}
      <LoadedForm key={draft ? "draft" : "page"} {...props} initialInput={initialInput ?? draft} />
    </>
  );
}
