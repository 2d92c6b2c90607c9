import {
  type ServiceUpdateKind,
  type ServiceUpdateSource,
  readServiceUpdateKind,
} from '../domain/service-updates.js';
import { type Queryable, sql } from './database.js';

export interface NewServiceUpdate {
  readonly serviceId: number;
  readonly kind: ServiceUpdateKind;
  /** A rate in money units, or a quantity bound; null where the kind has none. */
  readonly old: bigint | null;
  readonly new: bigint | null;
  readonly source: ServiceUpdateSource;
}

/** A recorded update with the service's current name. */
export interface ServiceUpdate {
  readonly id: number;
  readonly serviceId: number;
  readonly serviceName: string;
  readonly kind: ServiceUpdateKind;
  readonly old: bigint | null;
  readonly new: bigint | null;
  readonly createdAt: number;
}

interface ServiceUpdateRow {
  id: bigint;
  service_id: bigint;
  service_name: string;
  kind: string;
  old_value: bigint | null;
  new_value: bigint | null;
  created_at: bigint;
}

function toServiceUpdate(row: ServiceUpdateRow): ServiceUpdate {
  return {
    id: Number(row.id),
    serviceId: Number(row.service_id),
    serviceName: row.service_name,
    kind: readServiceUpdateKind(row.kind),
    old: row.old_value,
    new: row.new_value,
    createdAt: Number(row.created_at),
  };
}

const insertSql = sql(
  `INSERT INTO service_updates (service_id, kind, old_value, new_value, source, created_at)
   VALUES (?, ?, ?, ?, ?, ?)`,
);
// Newest first by id: ids grow with commit order closely enough, and the time alone can tie.
const selectPageSql = sql(
  `SELECT u.id, u.service_id, s.name AS service_name, u.kind, u.old_value, u.new_value, u.created_at
   FROM service_updates u JOIN services s ON s.id = u.service_id
   ORDER BY u.id DESC LIMIT ? OFFSET ?`,
);

const countSql = sql('SELECT COUNT(*) AS count FROM service_updates');

export async function countServiceUpdates(q: Queryable): Promise<number> {
  return Number((await q.get<{ count: bigint }>(countSql))?.count ?? 0n);
}

/** In the caller's transaction: the update lands with the change it describes, or not at all. */
export async function insertServiceUpdate(
  q: Queryable,
  update: NewServiceUpdate,
  now: number,
): Promise<void> {
  await q.run(insertSql, [update.serviceId, update.kind, update.old, update.new, update.source, now]);
}

export async function listServiceUpdates(
  q: Queryable,
  page: { limit: number; offset: number },
): Promise<ServiceUpdate[]> {
  return (await q.all<ServiceUpdateRow>(selectPageSql, [page.limit, page.offset])).map(toServiceUpdate);
}

const selectLastAvailabilitySql = sql(
  `SELECT kind, source FROM service_updates WHERE service_id = ? AND kind IN ('new', 'disabled', 'enabled')
   ORDER BY id DESC LIMIT 1`,
);

/** Whether a service is off because a sync disabled it (its provider dropped it), not by an admin's hand. */
export async function wasDisabledBySync(q: Queryable, serviceId: number): Promise<boolean> {
  const row = await q.get<{ kind: string; source: string }>(selectLastAvailabilitySql, [serviceId]);
  return row?.kind === 'disabled' && row.source === 'sync';
}
