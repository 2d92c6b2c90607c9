import { type Queryable, sql } from './database.js';

/** One of a user's own rates beside the service's name and its usual rate (the admin's user list). */
export interface UserServiceRate {
  readonly serviceId: number;
  readonly name: string;
  readonly rate: bigint;
  readonly serviceRate: bigint;
}

const selectRatesOfUser = sql(
  `SELECT r.service_id, s.name, r.rate, s.rate AS service_rate FROM user_rates r
   JOIN services s ON s.id = r.service_id WHERE r.user_id = ? ORDER BY r.service_id`,
);

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
