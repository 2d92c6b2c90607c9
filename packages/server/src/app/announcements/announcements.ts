import type * as contract from '@smmkit/contract';
import { type Result, fail, ok } from '../../domain/errors.js';
import {
  deleteAnnouncement as storeDelete,
  findLastReadAnnouncement,
  insertAnnouncement,
  listAnnouncements,
  markAnnouncementsRead,
} from '../../store/announcements.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { renderAnnouncement } from './render-markdown.js';

const SHOWN = 20;

/** The customer's dashboard: the latest announcements, each marked unread until read. */
export async function listCustomerAnnouncements(
  ctx: Context,
  userId: number,
): Promise<contract.AnnouncementList> {
  const [announcements, lastRead] = await Promise.all([
    listAnnouncements(ctx.db, SHOWN),
    findLastReadAnnouncement(ctx.db, userId),
  ]);
  const shown = announcements.map((announcement) => ({
    id: announcement.id,
    title: announcement.title,
    html: announcement.bodyHtml,
    createdAt: new Date(announcement.createdAt).toISOString(),
    unread: announcement.id > lastRead,
  }));
  return { announcements: shown, unread: shown.filter((announcement) => announcement.unread).length };
}

/** Marks announcements read up to `upTo` (the newest one the user was shown), or all so far. */
export async function readAnnouncements(ctx: Context, userId: number, upTo?: number): Promise<void> {
  await ctx.db.transaction((tx) => markAnnouncementsRead(tx, userId, upTo));
}

export async function listAdminAnnouncements(ctx: Context): Promise<contract.AdminAnnouncementList> {
  const announcements = await listAnnouncements(ctx.db, 100);
  return {
    announcements: announcements.map((announcement) => ({
      id: announcement.id,
      title: announcement.title,
      body: announcement.bodyMarkdown,
      html: announcement.bodyHtml,
      createdAt: new Date(announcement.createdAt).toISOString(),
    })),
  };
}

/** A draft's body as customers would see it (the same renderer and sanitizer); nothing stored. */
export function previewAnnouncement(input: { body: string }): Result<{ html: string }> {
  const body = input.body.trim();
  if (body.length > 20_000)
    return fail({ code: 'INVALID_INPUT', field: 'body', reason: '1-20000 characters' });
  return ok({ html: body === '' ? '' : renderAnnouncement(body) });
}

/** The admin posts news: a title and a Markdown body, stored with its sanitized HTML. Audited. */
export async function postAnnouncement(
  ctx: Context,
  input: { title: string; body: string },
): Promise<Result<{ id: number }>> {
  const title = input.title.trim();
  const body = input.body.trim();
  if (title === '' || title.length > 200)
    return fail({ code: 'INVALID_INPUT', field: 'title', reason: '1-200 characters' });
  if (body === '' || body.length > 20_000)
    return fail({ code: 'INVALID_INPUT', field: 'body', reason: '1-20000 characters' });
  const bodyHtml = renderAnnouncement(body);
  return ctx.db.transaction(async (tx) => {
    const authorId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
    const id = await insertAnnouncement(tx, {
      title,
      bodyMarkdown: body,
      bodyHtml,
      authorId,
      now: ctx.clock.now(),
    });
    await recordAudit(tx, ctx, 'announcement.post', `announcement:${id}`, { title });
    return ok({ id });
  });
}

export async function deleteAnnouncement(ctx: Context, id: number): Promise<Result<{ ok: true }>> {
  return ctx.db.transaction(async (tx) => {
    if (!(await storeDelete(tx, id))) return fail<{ ok: true }>({ code: 'ANNOUNCEMENT_NOT_FOUND', id });
    await recordAudit(tx, ctx, 'announcement.delete', `announcement:${id}`, {});
    return ok({ ok: true as const });
  });
}
