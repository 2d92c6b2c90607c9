import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, Json, List, Money, Nullable } from '../primitives.js';
import { PageQuery } from '../request-params.js';

/** An admin action on money, orders or the catalogue, as recorded. */
export const AuditEntry = Type.Object(
  {
    id: Id,
    /** user:<id>, cli, or system. */
    actor: Type.String(),
    /** Who, in words: a username ("owner", "owner as alice" when signed in as a customer), "the command line", "the panel". */
    actorName: Type.String(),
    action: Type.String(),
    /** What was acted on: `order:7`, `user:3`, `service:12`, `settings`… */
    target: Type.String(),
    /** The username of a `user:N` target; null for other targets. */
    targetName: Nullable(Type.String()),
    /** The money the details name (amount, new balance, refund, rate), in the panel currency. */
    amounts: List(Type.Object({ name: Type.String(), amount: Money })),
    /** The details as recorded. */
    details: Json,
    at: IsoTime,
  },
  { title: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object(
  { entries: List(AuditEntry), page: Type.Integer() },
  { title: 'AuditPage' },
);
export type AuditPage = Static<typeof AuditPage>;

export const listAudit = endpoint('GET', '/admin/audit', { querystring: PageQuery, answer: AuditPage });
