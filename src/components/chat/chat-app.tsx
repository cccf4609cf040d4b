"use client";

import { useChat } from "@ai-sdk/react";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { Link } from "@/i18n/navigation";
import { useRouter } from "@/i18n/client-navigation";
import { clsx } from "clsx";
import type { ConversationDto, ConversationSummary } from "@/services/chat/conversations";
import type { TopUp } from "@/services/payments/top-up";
import {
  chatFailureOf,
  chatTransport,
  deleteConversation,
  fetchConversation,
  listConversations,
  renameConversation,
  settledConversation,
  textOf,
  toUIMessages,
  type ChatFailure,
  type ChatUIMessage,
} from "./chat-api";

// Markdown (react-markdown + remark-gfm) is loaded with the first reply, not with the page.
const Markdown = dynamic(() => import("./markdown"), { loading: () => null });

interface ChatAppProps {
  initialConversations: ConversationSummary[];
  initialConversation: ConversationDto | null;
  topUp: TopUp;
  maxChars: number;
  /** What a reply to a short message holds (shown before the first message). */
  shortReplyHold: number;
}

type Active = { id: string; messages: ChatUIMessage[] };

const openInUrl = (id: string | null) => {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("c", id);
  else url.searchParams.delete("c");
  window.history.replaceState(null, "", url);
};

/** The chat page: the conversations beside (phones: above) the open thread. */
export function ChatApp({ initialConversations, initialConversation, topUp, maxChars, shortReplyHold }: ChatAppProps) {
  const t = useTranslations("chat");
  const [conversations, setConversations] = useState(initialConversations);
  const [active, setActive] = useState<Active>(() =>
    initialConversation ? { id: initialConversation.id, messages: toUIMessages(initialConversation.messages) } : { id: crypto.randomUUID(), messages: [] },
  );
  const [loadFailed, setLoadFailed] = useState(false);

  const refreshList = useCallback(async () => {
    const result = await listConversations();
    if (result.ok) setConversations(result.data.conversations);
  }, []);

  const open = useCallback(async (id: string) => {
    setLoadFailed(false);
    const result = await fetchConversation(id);
    if (!result.ok) return setLoadFailed(true);
    setActive({ id, messages: toUIMessages(result.data.conversation.messages) });
    openInUrl(id);
  }, []);

  const startNew = useCallback(() => {
    setLoadFailed(false);
    setActive({ id: crypto.randomUUID(), messages: [] });
    openInUrl(null);
  }, []);

  const onDeleted = useCallback(
    (id: string) => {
      setConversations((list) => list.filter((c) => c.id !== id));
      if (id === active.id) startNew();
    },
    [active.id, startNew],
  );

  return (
    <div className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <ConversationList
        conversations={conversations}
        activeId={active.id}
        onOpen={open}
        onNew={startNew}
        onRenamed={(c) => setConversations((list) => list.map((x) => (x.id === c.id ? { ...x, title: c.title } : x)))}
        onDeleted={onDeleted}
      />
      <section aria-label={t("title")} className="min-w-0">
        {loadFailed && (
          <Alert tone="error" className="mb-4" data-testid="chat-load-failed">
            {t("loadFailed")}
          </Alert>
        )}
        <Thread
          key={active.id}
          id={active.id}
          initialMessages={active.messages}
          topUp={topUp}
          maxChars={maxChars}
          shortReplyHold={shortReplyHold}
          onReplyEnded={() => {
            openInUrl(active.id);
            void refreshList();
          }}
        />
      </section>
    </div>
  );
}

function ConversationList(props: {
  conversations: ConversationSummary[];
  activeId: string;
  onOpen: (id: string) => void;
  onNew: () => void;
  onRenamed: (c: ConversationSummary) => void;
  onDeleted: (id: string) => void;
}) {
  const t = useTranslations("chat");
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  return (
    <nav aria-label={t("conversations")} className="space-y-3" data-testid="chat-conversations">
      <Button onClick={props.onNew} className="w-full" data-testid="chat-new">
        {t("new")}
      </Button>
      <h2 className="text-sm font-medium text-muted-foreground">{t("conversations")}</h2>
      {props.conversations.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("empty")}</p>
      ) : (
        <ul className="max-h-48 space-y-1 overflow-y-auto lg:max-h-[calc(100vh-14rem)]">
          {props.conversations.map((c) => (
            <li key={c.id} data-testid="chat-conversation" data-id={c.id} className={clsx("rounded-md", c.id === props.activeId && "bg-muted")}>
              {renaming === c.id ? (
                <RenameForm
                  conversation={c}
                  onDone={(renamed) => {
                    setRenaming(null);
                    if (renamed) props.onRenamed(renamed);
                  }}
                />
              ) : (
                <div className="flex items-center gap-1">
                  <button
                    type="button"
                    className="min-w-0 flex-1 truncate rounded-md px-2 py-2 text-left text-sm hover:bg-muted focus-ring"
                    aria-current={c.id === props.activeId ? "page" : undefined}
                    onClick={() => props.onOpen(c.id)}
                    data-testid="chat-conversation-open"
                  >
                    {c.title || t("untitled")}
                  </button>
                  <Button variant="ghost" size="sm" onClick={() => setRenaming(c.id)} aria-label={`${t("rename")}: ${c.title}`} data-testid="chat-rename">
                    {t("rename")}
                  </Button>
                  <Button variant="ghost" size="sm" onClick={() => setDeleting(c)} aria-label={`${t("delete")}: ${c.title}`} data-testid="chat-delete">
                    {t("delete")}
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <Dialog open={deleting !== null} onOpenChange={(isOpen) => !isOpen && setDeleting(null)}>
        <DialogContent closeLabel={t("cancel")}>
          <DialogHeader>
            <DialogTitle>{t("delete")}</DialogTitle>
            <DialogDescription>{t("deleteConfirm", { title: deleting?.title ?? "" })}</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setDeleting(null)}>
              {t("cancel")}
            </Button>
            <Button
              variant="destructive"
              data-testid="chat-delete-confirm"
              onClick={async () => {
                const target = deleting;
                setDeleting(null);
                if (target && (await deleteConversation(target.id)).ok) props.onDeleted(target.id);
              }}
            >
              {t("delete")}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </nav>
  );
}

function RenameForm({ conversation, onDone }: { conversation: ConversationSummary; onDone: (renamed: ConversationSummary | null) => void }) {
  const t = useTranslations("chat");
  const [title, setTitle] = useState(conversation.title);
  return (
    <form
      className="flex gap-1 p-1"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await renameConversation(conversation.id, title);
        onDone(result.ok ? result.data.conversation : null);
      }}
    >
      <Input
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        aria-label={t("renameLabel")}
        maxLength={100}
        autoFocus
        data-testid="chat-rename-input"
        onKeyDown={(e) => e.key === "Escape" && onDone(null)}
      />
      <Button type="submit" size="sm" disabled={title.trim() === ""} data-testid="chat-rename-save">
        {t("save")}
      </Button>
    </form>
  );
}

function Thread(props: {
  id: string;
  initialMessages: ChatUIMessage[];
  topUp: TopUp;
  maxChars: number;
  shortReplyHold: number;
  onReplyEnded: () => void;
}) {
  const t = useTranslations("chat");
  const router = useRouter();
  const transport = useMemo(() => chatTransport(), []);
  const [input, setInput] = useState("");
  const { messages, sendMessage, regenerate, stop, status, error, setMessages, clearError } = useChat<ChatUIMessage>({
    id: props.id,
    messages: props.initialMessages,
    transport,
    onFinish: ({ isError }) => void afterReply(isError),
  });
  const failure = error ? chatFailureOf(error) : null;
  const busy = status === "submitted" || status === "streaming";

  // After each reply (finished, stopped or failed): the server's copy of the thread (credits
  // used, a Stop's settlement), the list (a new conversation, its title), the header's balance.
  const afterReply = async (isError: boolean) => {
    const synced = await settledConversation(props.id);
    if (synced && (!isError || synced.messages.length > 0)) setMessages(toUIMessages(synced.messages));
    props.onReplyEnded();
    router.refresh();
  };

  // Refused before any reply (402, 400, ...): the message was not kept, so it goes back to the composer.
  const refusedText = useRef<string | null>(null);
  useEffect(() => {
    if (!error || (error as { statusCode?: number }).statusCode === undefined) return;
    const last = messages.at(-1);
    if (last?.role === "user") {
      refusedText.current = textOf(last);
      setMessages(messages.slice(0, -1));
      setInput((current) => current || refusedText.current || "");
    }
  }, [error, messages, setMessages]);

  const send = () => {
    const text = input.trim();
    if (!text || busy || text.length > props.maxChars) return;
    clearError();
    setInput("");
    void sendMessage({ text });
  };
  const lastAssistant = messages.findLast((m) => m.role === "assistant");
  const tooLong = input.trim().length > props.maxChars;

  return (
    <div className="flex min-h-[60vh] flex-col rounded-lg border" data-testid="chat-thread" data-status={status}>
      <ol className="flex-1 space-y-4 overflow-y-auto p-4" aria-live="polite" aria-busy={busy}>
        {messages.length === 0 && <li className="text-sm text-muted-foreground">{t("start", { credits: props.shortReplyHold })}</li>}
        {messages.map((m) => (
          <li key={m.id} data-testid={`chat-message-${m.role}`} className={clsx("flex", m.role === "user" ? "justify-end" : "justify-start")}>
            <div className={clsx("max-w-[92%] rounded-lg px-3 py-2 sm:max-w-[80%]", m.role === "user" ? "bg-primary text-primary-foreground" : "bg-muted/60")}>
              <span className="sr-only">{m.role === "user" ? t("you") : t("assistant")}: </span>
              {m.role === "user" ? (
                <p className="text-sm whitespace-pre-wrap">{textOf(m)}</p>
              ) : textOf(m) ? (
                <Markdown text={textOf(m)} />
              ) : (
                <p className="text-sm text-muted-foreground">{t("thinking")}</p>
              )}
              {m.role === "assistant" && <ReplyFooter message={m} streaming={busy && m.id === lastAssistant?.id} />}
            </div>
          </li>
        ))}
        {status === "submitted" && messages.at(-1)?.role === "user" && (
          <li className="text-sm text-muted-foreground" data-testid="chat-thinking">
            {t("thinking")}
          </li>
        )}
      </ol>
      {failure && <FailureNotice failure={failure} topUp={props.topUp} maxChars={props.maxChars} />}
      <form
        className="space-y-2 border-t p-3"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <Textarea
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          placeholder={t("placeholder")}
          aria-label={t("messageLabel")}
          aria-invalid={tooLong || undefined}
          rows={2}
          className="max-h-48"
          data-testid="chat-input"
        />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className={clsx("text-xs", tooLong ? "text-destructive" : "text-muted-foreground")}>
            {t("chars", { count: input.trim().length, max: props.maxChars })}
          </span>
          <div className="flex gap-2">
            {!busy && lastAssistant && messages.at(-1)?.id === lastAssistant.id && (
              <Button type="button" variant="outline" onClick={() => void regenerate()} data-testid="chat-regenerate">
                {t("regenerate")}
              </Button>
            )}
            {busy ? (
              <Button type="button" variant="secondary" onClick={() => void stop()} data-testid="chat-stop">
                {t("stop")}
              </Button>
            ) : (
              <Button type="submit" disabled={!input.trim() || tooLong} data-testid="chat-send">
                {t("send")}
              </Button>
            )}
          </div>
        </div>
      </form>
    </div>
  );
}

function ReplyFooter({ message, streaming }: { message: ChatUIMessage; streaming: boolean }) {
  const t = useTranslations("chat");
  const meta = message.metadata;
  if (streaming || meta?.creditsUsed === undefined) return null;
  return (
    <p className="mt-2 flex flex-wrap gap-x-3 text-xs text-muted-foreground" data-testid="chat-reply-credits" data-credits={meta.creditsUsed}>
      <span>{t("creditsUsed", { credits: meta.creditsUsed })}</span>
      {meta.inputTokens !== undefined && meta.outputTokens !== undefined && <span>{t("tokens", { input: meta.inputTokens, output: meta.outputTokens })}</span>}
      {meta.status === "stopped" && <span data-testid="chat-reply-stopped">{t("stopped")}</span>}
    </p>
  );
}

function FailureNotice({ failure, topUp, maxChars }: { failure: ChatFailure; topUp: TopUp; maxChars: number }) {
  const t = useTranslations("chat.errors");
  const provider = useTranslations("errors.provider");
  if (failure.kind === "insufficient") {
    const known = Number.isFinite(failure.required) && Number.isFinite(failure.balance);
    return (
      <div className="space-y-2 px-3 pb-3" data-testid="chat-insufficient" data-top-up={topUp.kind}>
        <Alert tone="info">
          <AlertTitle>{known ? t("insufficient", { required: failure.required!, balance: failure.balance! }) : t("insufficientShort")}</AlertTitle>
          {topUp.kind !== "buy" && <AlertDescription>{topUp.kind === "confirmEmail" ? t("confirmEmail") : t("unavailable")}</AlertDescription>}
        </Alert>
        {topUp.kind === "buy" && (
          <Button asChild size="sm">
            <Link href="/credits" data-testid="chat-buy-credits">
              {t("buy")}
            </Link>
          </Button>
        )}
      </div>
    );
  }
  const text =
    failure.kind === "provider"
      ? provider(["provider_unavailable", "content_rejected", "timed_out", "invalid_output"].includes(failure.code) ? failure.code : "internal")
      : failure.kind === "tooLong"
        ? t("tooLong", { max: maxChars })
        : t(failure.kind);
  return (
    <div className="px-3 pb-3" data-testid="chat-error" data-error={failure.kind === "provider" ? failure.code : failure.kind}>
      <Alert tone="error">{text}</Alert>
    </div>
  );
}
