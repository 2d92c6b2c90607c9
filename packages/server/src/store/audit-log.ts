import { type Queryable, sql } from './database.js';

export interface NewAuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly now: number;
}

/** One recorded admin action. */
export interface AuditEntry {
  readonly id: number;
  readonly actor: string;
  readonly action: string;
  /** What was acted on: `order:7`, `user:3`, `service:12`, `settings`… */
  readonly target: string;
  /** The details as recorded (stored as JSON; bigints were written as decimal strings). */
  readonly details: unknown;
  readonly createdAt: number;
}

interface AuditEntryRow {
  id: bigint;
  actor: string;
  action: string;
  target: string;
  details: string;
  created_at: bigint;
}

function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: Number(row.id),
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as unknown,
    createdAt: Number(row.created_at),
  };
}

const insertAuditSql = sql(
  'INSERT INTO audit_log (actor, action, target, details, created_at) VALUES (?, ?, ?, ?, ?)',
);

const jsonWithBigints = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Every admin action that touches money or orders is recorded in the same transaction as the change. */
export async function insertAuditEntry(q: Queryable, entry: NewAuditEntry): Promise<void> {
  await q.run(insertAuditSql, [
    entry.actor,
    entry.action,
    entry.target,
    jsonWithBigints(entry.details),
    entry.now,
  ]);
}

const AUDIT_COLUMNS = 'id, actor, action, target, details, created_at';
const selectByTarget = sql(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE target = ? ORDER BY id`);
const selectRecent = sql(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?`);
const selectBefore = sql(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`);

/** What was done to one thing (`order:7`, `user:3`…), oldest first. */
export async function findAuditEntries(q: Queryable, target: string): Promise<AuditEntry[]> {
  return (await q.all<AuditEntryRow>(selectByTarget, [target])).map(toAuditEntry);
}

/** The audit log, newest first, one page. */
export async function recentAuditEntries(
  q: Queryable,
  page: { limit: number; offset: number; beforeId?: number | undefined },
): Promise<AuditEntry[]> {
  const rows =
    page.beforeId === undefined
      ? await q.all<AuditEntryRow>(selectRecent, [page.limit, page.offset])
      : await q.all<AuditEntryRow>(selectBefore, [page.beforeId, page.limit]);
  return rows.map(toAuditEntry);
}
