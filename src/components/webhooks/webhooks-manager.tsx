"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import useSWR, { useSWRConfig } from "swr";
import { SecretOnce } from "@/components/forms/secret-once";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { apiFetch, type ApiProblem } from "@/lib/http/api-client";
import { WEBHOOK_EVENT_TYPES, type WebhookDeliveryDto, type WebhookEndpointDto } from "@/lib/schemas/webhooks";

const ENDPOINTS = "/api/webhooks/endpoints";
/** An event type's message key: "task.succeeded" -> "task_succeeded" (a dot would nest). */
const eventKey = (type: string) => type.replace(".", "_");
const CARD = "space-y-3 rounded-xl border bg-card p-6";

async function fetchData<T>(path: string): Promise<T> {
  const result = await apiFetch<T>(path);
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

/** Account → Webhooks: add an endpoint (its secret shown once), list, test, delete, and each one's delivery log. */
export function WebhooksManager({ initial }: { initial: WebhookEndpointDto[] }) {
  const { data, mutate } = useSWR<{ endpoints: WebhookEndpointDto[] }>(ENDPOINTS, fetchData, { fallbackData: { endpoints: initial } });
  const endpoints = data?.endpoints ?? initial;
  return (
    <div className="space-y-8">
      <CreateEndpoint onCreated={() => void mutate()} />
      <section className={CARD} aria-labelledby="webhook-endpoints-title">
        <EndpointsTitle />
        {endpoints.length === 0 ? <EmptyList /> : null}
        <ul className="space-y-4">
          {endpoints.map((endpoint) => (
            <EndpointItem key={endpoint.id} endpoint={endpoint} onDeleted={() => void mutate()} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function EndpointsTitle() {
  const t = useTranslations("webhooks.list");
  return (
    <h2 id="webhook-endpoints-title" className="text-lg font-semibold">
      {t("title")}
    </h2>
  );
}

function EmptyList() {
  const t = useTranslations("webhooks.list");
  return <p className="text-sm text-muted-foreground">{t("empty")}</p>;
}

function CreateEndpoint({ onCreated }: { onCreated: () => void }) {
  const t = useTranslations("webhooks");
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENT_TYPES]);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const url = String(new FormData(form).get("url") ?? "");
    setPending(true);
    const result = await apiFetch<{ secret: string }>(ENDPOINTS, { method: "POST", json: { url, events } });
    setPending(false);
    if (!result.ok) return setProblem(result);
    setProblem(null);
    setSecret(result.data.secret);
    form.reset();
    onCreated();
  }

  const fieldError = problem?.field === "url" ? t("errors.url") : problem?.field?.startsWith("events") ? t("errors.events") : null;
  const formError = problem && !fieldError ? (problem.status === 409 ? t("errors.limit") : t("errors.generic")) : null;
  return (
    <section className={CARD} aria-labelledby="webhook-create-title">
      <h2 id="webhook-create-title" className="text-lg font-semibold">
        {t("create.title")}
      </h2>
      {secret ? (
        <SecretOnce
          title={t("create.secretTitle")}
          hint={t("create.secretText")}
          secret={secret}
          labels={{ copy: t("create.copy"), copied: t("create.copied"), dismiss: t("create.dismiss") }}
          onDismiss={() => setSecret(null)}
          testId="webhook-secret"
        />
      ) : null}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="webhook-create-form">
        <div className="space-y-1.5">
          <Label htmlFor="webhook-url">{t("create.url")}</Label>
          <Input
            id="webhook-url"
            name="url"
            type="url"
            inputMode="url"
            required
            placeholder="https://example.com/webhooks"
            aria-invalid={problem?.field === "url" || undefined}
            aria-describedby="webhook-url-hint"
          />
          <p id="webhook-url-hint" className={fieldError && problem?.field === "url" ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>
            {problem?.field === "url" ? fieldError : t("create.urlHint")}
          </p>
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t("create.events")}</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={events.includes(type)}
                onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((x) => x !== type))}
              />
              {t(`events.${eventKey(type)}`)} <code className="text-xs text-muted-foreground">{type}</code>
            </label>
          ))}
          {problem?.field?.startsWith("events") ? <p className="text-sm text-destructive">{t("errors.events")}</p> : null}
        </fieldset>
        <Button type="submit" disabled={pending} data-testid="webhook-create-submit">
          {pending ? t("create.submitting") : t("create.submit")}
        </Button>
      </form>
    </section>
  );
}

function EndpointItem({ endpoint, onDeleted }: { endpoint: WebhookEndpointDto; onDeleted: () => void }) {
  const t = useTranslations("webhooks");
  const format = useFormatter();
  const [showLog, setShowLog] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const path = `${ENDPOINTS}/${encodeURIComponent(endpoint.id)}`;
  const { mutate } = useSWRConfig();

  async function sendTest() {
    const result = await apiFetch(`${path}/test`, { method: "POST" });
    setNotice(result.ok ? { tone: "success", text: t("list.testSent") } : { tone: "error", text: t("errors.generic") });
    setShowLog(true);
    void mutate(`${path}/deliveries`);
  }

  async function remove() {
    const result = await apiFetch(path, { method: "DELETE" });
    if (!result.ok && result.status !== 404) return setNotice({ tone: "error", text: t("errors.generic") });
    onDeleted();
  }

  return (
    <li className="space-y-3 rounded-lg border p-4" data-testid="webhook-endpoint">
      <div className="space-y-1">
        <p className="break-all font-mono text-sm">{endpoint.url}</p>
        <div className="flex flex-wrap items-center gap-1.5">
          {endpoint.events.map((type) => (
            <Badge key={type} variant="secondary">
              {t(`events.${eventKey(type)}`)}
            </Badge>
          ))}
          <span className="text-xs text-muted-foreground">
            {t("list.created", { date: format.dateTime(new Date(endpoint.createdAt), { dateStyle: "medium" }) })}
          </span>
        </div>
      </div>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="button" size="sm" variant="outline" onClick={() => void sendTest()} data-testid="webhook-test">
          {t("list.test")}
        </Button>
        <Button type="button" size="sm" variant="outline" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
          {showLog ? t("list.hideLog") : t("list.showLog")}
        </Button>
        {confirming ? (
          <>
            <Button type="button" size="sm" variant="destructive" onClick={() => void remove()} data-testid="webhook-delete-confirm">
              {t("list.confirmDelete")}
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              {t("list.cancel")}
            </Button>
          </>
        ) : (
          <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(true)} data-testid="webhook-delete">
            {t("list.delete")}
          </Button>
        )}
      </div>
      {showLog ? <DeliveryLog path={`${path}/deliveries`} url={endpoint.url} /> : null}
    </li>
  );
}

function DeliveryLog({ path, url }: { path: string; url: string }) {
  const t = useTranslations("webhooks.log");
  const events = useTranslations("webhooks.events");
  const format = useFormatter();
  // Refreshed while open, so retries and the test event show up as they happen.
  const { data } = useSWR<{ deliveries: WebhookDeliveryDto[] }>(path, fetchData, { refreshInterval: 3000 });
  const deliveries = data?.deliveries;
  const time = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: "short", timeStyle: "medium" }) : t("none"));
  const eventName = (type: string) => (events.has(eventKey(type)) ? events(eventKey(type)) : type);
  if (deliveries && deliveries.length === 0) return <p className="text-sm text-muted-foreground">{t("empty")}</p>;
  return (
    <div className="overflow-x-auto">
      <Table data-testid="webhook-log">
        <TableCaption>{t("caption", { url })}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>{t("event")}</TableHead>
            <TableHead>{t("status")}</TableHead>
            <TableHead>{t("attempts")}</TableHead>
            <TableHead>{t("response")}</TableHead>
            <TableHead>{t("latency")}</TableHead>
            <TableHead>{t("nextRetry")}</TableHead>
            <TableHead>{t("time")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(deliveries ?? []).map((d) => (
            <TableRow key={d.id}>
              <TableCell>{eventName(d.type)}</TableCell>
              <TableCell>
                <Badge variant={d.status === "succeeded" ? "success" : d.status === "failed" ? "destructive" : "outline"}>{t(`statuses.${d.status}`)}</Badge>
              </TableCell>
              <TableCell>{d.attempts}</TableCell>
              <TableCell title={d.lastError ?? undefined}>{d.lastStatusCode ?? (d.lastError ? d.lastError.slice(0, 40) : t("none"))}</TableCell>
              <TableCell>{d.lastLatencyMs === null ? t("none") : t("ms", { ms: d.lastLatencyMs })}</TableCell>
              <TableCell>{time(d.nextAttemptAt)}</TableCell>
              <TableCell>{time(d.createdAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
