import { type Queryable, sql } from './database.js';

/** A user's own price for one service, replacing the service's rate for them. */
export interface UserRate {
  readonly userId: number;
  readonly serviceId: number;
  readonly rate: bigint;
}

/** One of a user's own rates beside the service's name and its usual rate (the admin's user list). */
export interface UserServiceRate {
  readonly serviceId: number;
  readonly name: string;
  readonly rate: bigint;
  readonly serviceRate: bigint;
}

const upsertUserRateSql = sql(
  `INSERT INTO user_rates (user_id, service_id, rate, created_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (user_id, service_id) DO UPDATE SET rate = excluded.rate`,
);
const deleteUserRateSql = sql('DELETE FROM user_rates WHERE user_id = ? AND service_id = ?');
const selectUserRates = sql('SELECT user_id, service_id, rate FROM user_rates');
const selectRatesOfUser = sql(
  `SELECT r.service_id, s.name, r.rate, s.rate AS service_rate FROM user_rates r
   JOIN services s ON s.id = r.service_id WHERE r.user_id = ? ORDER BY r.service_id`,
);

export async function upsertUserRate(
  q: Queryable,
  rate: { userId: number; serviceId: number; rate: bigint; now: number },
): Promise<void> {
  await q.run(upsertUserRateSql, [rate.userId, rate.serviceId, rate.rate, rate.now]);
}

export async function deleteUserRate(q: Queryable, userId: number, serviceId: number): Promise<void> {
  await q.run(deleteUserRateSql, [userId, serviceId]);
}

/** Every custom rate of every user: what the `services` answer cache is built from. */
export async function listUserRates(q: Queryable): Promise<UserRate[]> {
  const rows = await q.all<{ user_id: bigint; service_id: bigint; rate: bigint }>(selectUserRates);
  return rows.map((row) => ({
    userId: Number(row.user_id),
    serviceId: Number(row.service_id),
    rate: row.rate,
  }));
}

/** One user's custom rates, by service id. */
export async function listRatesOfUser(q: Queryable, userId: number): Promise<UserServiceRate[]> {
  const rows = await q.all<{ service_id: bigint; name: string; rate: bigint; service_rate: bigint }>(
    selectRatesOfUser,
    [userId],
  );
  return rows.map((row) => ({
    serviceId: Number(row.service_id),
    name: row.name,
    rate: row.rate,
    serviceRate: row.service_rate,
  }));
}
