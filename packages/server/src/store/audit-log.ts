import { type Queryable, sql } from './database.js';

const insertAuditSql = sql(
  'INSERT INTO audit_log (actor, action, target, details, created_at) VALUES (?, ?, ?, ?, ?)',
);

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly now: number;
}

const jsonWithBigints = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Every admin action that touches money or orders is recorded in the same transaction as the change. */
export async function insertAuditEntry(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.run(insertAuditSql, [
    entry.actor,
    entry.action,
    entry.target,
    jsonWithBigints(entry.details),
    entry.now,
  ]);
}

export interface AuditRow {
  id: bigint;
  actor: string;
  action: string;
  target: string;
  details: string;
  created_at: bigint;
}

const selectByTarget = sql(
  'SELECT id, actor, action, target, details, created_at FROM audit_log WHERE target = ? ORDER BY id',
);

/** What was done to one thing (`order:7`, `user:3`…), oldest first. */
export function findAuditEntries(q: Queryable, target: string): Promise<AuditRow[]> {
  return q.all<AuditRow>(selectByTarget, [target]);
}
