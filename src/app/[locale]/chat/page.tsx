import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ChatApp } from "@/components/chat/chat-app";
import { ClientMessages } from "@/i18n/client-messages";
import { requirePageUser } from "@/lib/auth/page-auth";
import { env } from "@/lib/env";
import { getConversation, holdFor, listConversations, type ConversationDto } from "@/services/chat";
import { topUpFor } from "@/services/payments/top-up";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ c?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "chat.meta" });
  return { title: t("title"), description: t("description") };
}

// /<locale>/chat: the conversations (?c=<id> opens one) and the thread; replies stream from POST /api/chat.
export default async function ChatPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await requirePageUser(locale, "/chat");
  const t = await getTranslations("chat");
  const { c } = await searchParams;
  const [conversations, topUp, initial] = await Promise.all([
    listConversations(user.uuid),
    topUpFor(user.uuid),
    typeof c === "string" && c ? getConversation(user.uuid, c).catch((): ConversationDto | null => null) : null,
  ]);
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
      <h1 className="sr-only">{t("title")}</h1>
      <ClientMessages namespaces={["chat", "errors.provider"]}>
        <ChatApp
          initialConversations={conversations}
          initialConversation={initial}
          topUp={topUp}
          maxChars={env().CHAT_MAX_MESSAGE_CHARS}
          shortReplyHold={holdFor([""])}
        />
      </ClientMessages>
    </div>
  );
}
