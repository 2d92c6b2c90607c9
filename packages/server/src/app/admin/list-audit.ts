import { fail, ok } from '../../domain/errors.js';
import { recentAuditEntries } from '../../store/audit-listing.js';
import type { Context } from '../context.js';

export const AUDIT_PAGE_SIZE = 100;

export async function listAudit(ctx: Context, page = 1) {
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const rows = await recentAuditEntries(ctx.db, {
    limit: AUDIT_PAGE_SIZE,
    offset: (page - 1) * AUDIT_PAGE_SIZE,
  });
  return ok({
    // merge: A2 returns a record — the audit rows are decoded here (id, time) only until then.
    entries: rows.map((row) => ({
      id: Number(row.id),
      actor: row.actor,
      action: row.action,
      target: row.target,
      details: JSON.parse(row.details) as unknown,
      at: new Date(Number(row.created_at)).toISOString(),
    })),
    page,
  });
}
