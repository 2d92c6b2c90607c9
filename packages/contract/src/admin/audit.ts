import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, Json, List } from '../primitives.js';
import { PageQuery } from '../request-params.js';

/** An admin action on money, orders or the catalogue, as recorded. */
export const AuditEntry = Type.Object(
  {
    id: Id,
    /** user:<id>, cli, or system. */
    actor: Type.String(),
    action: Type.String(),
    target: Type.String(),
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
