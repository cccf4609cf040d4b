"use client";

import { useEffect, useRef, useState } from "react";
import type { TaskDto } from "@/services/tasks/queries";
import { isRunning, taskPath } from "./task-api";

/**
 * Follows a task over server-sent events (GET /api/tasks/<uuid>/events): calls `onTask`
 * with each change and closes the stream once the task is finished. Answers whether the
 * stream is open, so the caller polls only while it is not (no EventSource, an error
 * answer such as 401, a dropped connection while the browser reconnects).
 */
export function useTaskEvents(uuid: string | null, onTask: (task: TaskDto) => void): boolean {
  const [open, setOpen] = useState(false);
  const latest = useRef(onTask);
  useEffect(() => {
    latest.current = onTask;
  }, [onTask]);

  useEffect(() => {
    if (!uuid || typeof EventSource === "undefined") return;
    const source = new EventSource(`${taskPath(uuid)}/events`);
    source.onopen = () => setOpen(true);
    source.onerror = () => setOpen(false);
    source.addEventListener("task", (event) => {
      let task: TaskDto;
      try {
        task = JSON.parse((event as MessageEvent<string>).data) as TaskDto;
      } catch {
        return;
      }
      latest.current(task);
      if (!isRunning(task)) {
        source.close();
        setOpen(false);
      }
    });
    return () => {
      source.close();
      setOpen(false);
    };
  }, [uuid]);

  return open;
}
