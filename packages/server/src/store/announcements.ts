import { type Queryable, sql } from './database.js';

export interface Announcement {
  readonly id: number;
  readonly title: string;
  readonly bodyMarkdown: string;
  readonly bodyHtml: string;
  readonly createdAt: number;
}

interface AnnouncementRow {
  id: bigint;
  title: string;
  body_markdown: string;
  body_html: string;
  created_at: bigint;
}

function toAnnouncement(row: AnnouncementRow): Announcement {
  return {
    id: Number(row.id),
    title: row.title,
    bodyMarkdown: row.body_markdown,
    bodyHtml: row.body_html,
    createdAt: Number(row.created_at),
  };
}

const insertSql = sql(
  'INSERT INTO announcements (title, body_markdown, body_html, author_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
);
const listSql = sql(
  'SELECT id, title, body_markdown, body_html, created_at FROM announcements ORDER BY id DESC LIMIT ?',
);
const deleteSql = sql('DELETE FROM announcements WHERE id = ?');
const selectLastRead = sql('SELECT last_read_id FROM announcement_reads WHERE user_id = ?');
const upsertLastRead = sql(
  `INSERT INTO announcement_reads (user_id, last_read_id) VALUES (?, ?)
   ON CONFLICT (user_id) DO UPDATE SET last_read_id = excluded.last_read_id
   WHERE announcement_reads.last_read_id < excluded.last_read_id`,
);
const selectNewest = sql('SELECT MAX(id) AS id FROM announcements');

export async function insertAnnouncement(
  q: Queryable,
  announcement: {
    title: string;
    bodyMarkdown: string;
    bodyHtml: string;
    authorId: number | null;
    now: number;
  },
): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertSql, [
    announcement.title,
    announcement.bodyMarkdown,
    announcement.bodyHtml,
    announcement.authorId,
    announcement.now,
  ]);
  return Number(row!.id);
}

/** The newest announcements first. */
export async function listAnnouncements(q: Queryable, limit: number): Promise<Announcement[]> {
  return (await q.all<AnnouncementRow>(listSql, [limit])).map(toAnnouncement);
}

export async function deleteAnnouncement(q: Queryable, id: number): Promise<boolean> {
  return (await q.run(deleteSql, [id])) === 1;
}

/** The id up to which the user has read announcements (0: none). */
export async function findLastReadAnnouncement(q: Queryable, userId: number): Promise<number> {
  const row = await q.get<{ last_read_id: bigint }>(selectLastRead, [userId]);
  return row === undefined ? 0 : Number(row.last_read_id);
}

/**
 * Marks announcements up to `upTo` (capped at the newest; without it, the newest) as read by the
 * user, never moving backwards: one posted after the user's page was shown stays unread.
 */
export async function markAnnouncementsRead(q: Queryable, userId: number, upTo?: number): Promise<void> {
  const newest = await q.get<{ id: bigint | null }>(selectNewest);
  if (newest?.id == null) return;
  const last = upTo === undefined ? Number(newest.id) : Math.min(upTo, Number(newest.id));
  if (last <= 0) return;
  await q.run(upsertLastRead, [userId, last]);
}
