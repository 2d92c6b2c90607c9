import { fail, ok } from '../../domain/errors.js';
import { recentAuditEntries } from '../../store/audit-log.js';
import type { Context } from '../context.js';
import { type Keyset, rowWindow } from '../keyset.js';

export const AUDIT_PAGE_SIZE = 100;

export async function listAudit(ctx: Context, page = 1, keyset?: Keyset) {
  if (!Number.isSafeInteger(page) || page < 1 || page > 100_000) {
    return fail({ code: 'INVALID_INPUT', field: 'page', reason: 'a whole number from 1' });
  }
  const rows = await recentAuditEntries(ctx.db, rowWindow(keyset, page, AUDIT_PAGE_SIZE));
  return ok({
    entries: rows.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      target: row.target,
      details: row.details,
      at: new Date(row.createdAt).toISOString(),
    })),
    page,
  });
}
