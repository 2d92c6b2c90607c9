import { type Queryable, sql } from './database.js';
import type { AuditRow } from './audit-log.js';

const selectRecent = sql(
  'SELECT id, actor, action, target, details, created_at FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?',
);

/** The audit log, newest first. */
export function recentAuditEntries(
  q: Queryable,
  page: { limit: number; offset: number },
): Promise<AuditRow[]> {
  return q.all<AuditRow>(selectRecent, [page.limit, page.offset]);
}
