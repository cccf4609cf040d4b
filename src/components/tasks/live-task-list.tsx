"use client";

import { useCallback, useEffect, useState } from "react";
import { useRouter } from "@/i18n/client-navigation";
import type { TaskDto } from "@/services/tasks/queries";
import { useTaskEvents } from "./use-task-events";

/** How often the list is re-read while a running row's live stream is not open. */
const POLL_MS = 3000;
/** Streams open at once: a browser has ~6 connections per host over HTTP/1.1; the rest of the rows are polled. */
const MAX_STREAMS = 3;

/**
 * Keeps the running rows of a server-rendered task list live: each is followed over its event
 * stream (GET /api/tasks/<uuid>/events), and a change of status re-renders the list (the
 * server draws the row again: badge, output, refund). While a stream is not open (no
 * EventSource, a dropped connection), or for rows beyond the first few, the list is re-read
 * every few seconds instead.
 */
export function LiveTaskList({ running }: { running: ReadonlyArray<Pick<TaskDto, "uuid" | "status">> }) {
  const router = useRouter();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const onOpen = useCallback((uuid: string, isOpen: boolean) => setOpen((o) => (o[uuid] === isOpen ? o : { ...o, [uuid]: isOpen })), []);
  const refresh = useCallback(() => router.refresh(), [router]);
  const followed = running.slice(0, MAX_STREAMS);
  const polling = running.length > MAX_STREAMS || followed.some((t) => !open[t.uuid]);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, refresh]);
  return followed.map((t) => <FollowRow key={t.uuid} uuid={t.uuid} status={t.status} onChange={refresh} onOpen={onOpen} />);
}

function FollowRow({ uuid, status, onChange, onOpen }: { uuid: string; status: string; onChange: () => void; onOpen: (uuid: string, open: boolean) => void }) {
  const onTask = useCallback((task: TaskDto) => void (task.status !== status && onChange()), [status, onChange]);
  const open = useTaskEvents(uuid, onTask);
  useEffect(() => onOpen(uuid, open), [uuid, open, onOpen]);
  return null;
}
