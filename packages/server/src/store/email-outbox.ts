import { type EmailState, readEmailState } from '../domain/email-outbox.js';
import { numberOrNull } from './column-values.js';
import { claimByDialect, type Queryable, sql } from './database.js';

/** A message in the outbox, as the worker sends it and tests read it. */
export interface OutboxEmail {
  readonly id: number;
  readonly recipient: string;
  readonly senderName: string;
  readonly subject: string;
  readonly textBody: string;
  readonly htmlBody: string;
  readonly state: EmailState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly sentAt: number | null;
}

interface OutboxRow {
  id: bigint;
  recipient: string;
  sender_name: string;
  subject: string;
  text_body: string;
  html_body: string;
  state: string;
  attempts: bigint;
  next_attempt_at: bigint;
  last_error: string | null;
  sent_at: bigint | null;
}

function toOutboxEmail(row: OutboxRow): OutboxEmail {
  return {
    id: Number(row.id),
    recipient: row.recipient,
    senderName: row.sender_name,
    subject: row.subject,
    textBody: row.text_body,
    htmlBody: row.html_body,
    state: readEmailState(row.state),
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    sentAt: numberOrNull(row.sent_at),
  };
}

const COLUMNS =
  'id, recipient, sender_name, subject, text_body, html_body, state, attempts, next_attempt_at, last_error, sent_at';

const insertSql = sql(
  `INSERT INTO email_outbox (recipient, sender_name, subject, text_body, html_body, next_attempt_at, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?)`,
);

export async function insertEmail(
  q: Queryable,
  email: { recipient: string; senderName: string; subject: string; text: string; html: string; now: number },
): Promise<void> {
  await q.run(insertSql, [
    email.recipient,
    email.senderName,
    email.subject,
    email.text,
    email.html,
    email.now,
    email.now,
  ]);
}

// Due messages: pending ones whose time has come, and ones left `sending` by a worker whose lease
// ran out. PostgreSQL skips rows another worker is claiming; the outer condition repeats the
// state, so on SQLite too each message is claimed by one worker only (the compare-and-set).
const DUE = `(state = 'pending' AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until < ?)`;
const CLAIM_PICK = `SELECT id FROM email_outbox WHERE ${DUE} ORDER BY id LIMIT ?`;
const CLAIM = `UPDATE email_outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?
   WHERE id IN (%PICK%) AND (${DUE}) RETURNING ${COLUMNS}`;
const claimSql = claimByDialect(CLAIM, CLAIM_PICK, 'FOR UPDATE SKIP LOCKED');

/** Claims up to `limit` due messages for `leaseMs`; each is claimed by one worker only. */
export async function claimDueEmails(
  q: Queryable,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<OutboxEmail[]> {
  const rows = await q.all<OutboxRow>(claimSql, [now + leaseMs, now, now, limit, now, now]);
  return rows.map(toOutboxEmail).sort((a, b) => a.id - b.id);
}

const markSentSql = sql(
  `UPDATE email_outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL
   WHERE id = ? AND state = 'sending'`,
);
const markRetrySql = sql(
  `UPDATE email_outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, last_error = ?
   WHERE id = ? AND state = 'sending'`,
);
const markFailedSql = sql(
  `UPDATE email_outbox SET state = 'failed', lease_until = NULL, last_error = ? WHERE id = ? AND state = 'sending'`,
);

export async function markEmailSent(q: Queryable, id: number, now: number): Promise<void> {
  await q.run(markSentSql, [now, id]);
}

export async function markEmailRetry(
  q: Queryable,
  id: number,
  nextAttemptAt: number,
  error: string,
): Promise<void> {
  await q.run(markRetrySql, [nextAttemptAt, error.slice(0, 500), id]);
}

export async function markEmailFailed(q: Queryable, id: number, error: string): Promise<void> {
  await q.run(markFailedSql, [error.slice(0, 500), id]);
}

const listSql = sql(`SELECT ${COLUMNS} FROM email_outbox ORDER BY id`);

/** Every message, oldest first (tests and operations). */
export async function listOutboxEmails(q: Queryable): Promise<OutboxEmail[]> {
  return (await q.all<OutboxRow>(listSql)).map(toOutboxEmail);
}
