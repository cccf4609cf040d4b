/**
 * The operator console's audit log: one row per admin action, written by the action's
 * own transaction (pass its `tx`), so an action and its record commit or fail together.
 * APPEND-ONLY: this module only inserts and reads; nothing updates or deletes a row
 * (and drizzle/0008_admin_audit_log_append_only.sql makes the database refuse it).
 */
import { desc } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { adminAuditLog, type AdminAuditRow } from "@/db/schema";
import { pageWindow, type Page } from "@/lib/http/pagination";

/** Who acted: the signed-in admin. */
export interface AdminActor {
  uuid: string;
  email: string;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export async function writeAudit(actor: AdminActor, entry: AuditEntry, db: Executor): Promise<void> {
  await db.insert(adminAuditLog).values({
    adminUuid: actor.uuid,
    adminEmail: actor.email,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    reason: entry.reason ?? null,
  });
}

export interface AuditItem {
  id: number;
  adminUuid: string;
  adminEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  createdAt: string;
}

function toAuditItem(r: AdminAuditRow): AuditItem {
  return {
    id: r.id,
    adminUuid: r.adminUuid,
    adminEmail: r.adminEmail,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The audit log, newest first. */
export async function listAudit(options: { page?: number; pageSize?: number } = {}, db: Executor = getDb()): Promise<Page<AuditItem>> {
  const window = pageWindow(options);
  const rows = await db.select().from(adminAuditLog).orderBy(desc(adminAuditLog.id)).limit(window.limit).offset(window.offset);
  return window.toPage(rows.map(toAuditItem));
}
