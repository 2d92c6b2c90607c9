import { type Queryable, dynamicSql } from '@smmkit/server/bench-support';
import type { SeededDatabase } from './seed.js';

/**
 * The form bodies the load generator rotates through, as the PHP client posts them
 * (`key=…&action=…`, url-encoded). Picked with a fixed seed so runs are comparable.
 */
export interface RequestBodies {
  /** `status` of one existing order, each with its owner's key. */
  readonly statusSingle: readonly string[];
  /** `status` of 100 ids: the caller's own orders first, topped up with others' when they have fewer. */
  readonly statusMany: readonly string[];
  /** Share of the 100 ids that are the caller's own (the rest answer "Incorrect order ID"). */
  readonly statusManyOwnShare: number;
  /** `refill_status` of 100 refill ids: the caller's own refills first, topped up with others'. */
  readonly refillStatusMany: readonly string[];
  readonly refillStatusManyOwnShare: number;
  readonly services: readonly string[];
  readonly balance: readonly string[];
  /** Keys `add` rotates over: many users, so no single balance row is hot. */
  readonly addKeys: readonly string[];
}

const STATUS_BODIES = 1_000;
const STATUS_MANY_BODIES = 100;
const IDS_PER_STATUS = 100;
const SERVICES_KEYS = 100;
const BALANCE_KEYS = 1_000;
const ADD_KEYS = 1_000;

/** mulberry32: tiny, seeded, good enough to spread picks. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

export async function buildRequestBodies(q: Queryable, seeded: SeededDatabase): Promise<RequestBodies> {
  const random = seededRandom(20240601);
  const pick = (count: number) => 1 + Math.floor(random() * count);
  const keyOf = (userId: number): string => {
    const key = seeded.keys[userId - 1];
    if (key === undefined) throw new RangeError(`no key for user ${userId}`);
    return key;
  };
  const { users, orders } = seeded.sizes;

  const wanted = Array.from({ length: STATUS_BODIES }, () => pick(orders));
  const owners = new Map(
    (
      await q.all<{ id: bigint; user_id: bigint }>(
        dynamicSql(`SELECT id, user_id FROM orders WHERE id IN (${[...new Set(wanted)].join(',')})`),
      )
    ).map((row) => [Number(row.id), Number(row.user_id)]),
  );
  const statusSingle = wanted.map((id) => {
    const owner = owners.get(id);
    if (owner === undefined) throw new Error(`seeded order ${id} is missing`);
    return form({ key: keyOf(owner), action: 'status', order: String(id) });
  });

  const statusMany: string[] = [];
  let own = 0;
  const ownOrders = dynamicSql('SELECT id FROM orders WHERE user_id = ? ORDER BY id DESC LIMIT ?');
  for (let i = 0; i < STATUS_MANY_BODIES; i++) {
    const userId = pick(users);
    const ids = new Set(
      (await q.all<{ id: bigint }>(ownOrders, [userId, IDS_PER_STATUS])).map((row) => Number(row.id)),
    );
    own += ids.size;
    while (ids.size < IDS_PER_STATUS) ids.add(pick(orders));
    statusMany.push(form({ key: keyOf(userId), action: 'status', orders: [...ids].join(',') }));
  }

  const refillStatusMany: string[] = [];
  let ownRefills = 0;
  const refillCount = Number(
    (await q.get<{ n: bigint }>(dynamicSql('SELECT COUNT(*) AS n FROM refills')))?.n ?? 0n,
  );
  const ownRefillIds = dynamicSql('SELECT id FROM refills WHERE user_id = ? ORDER BY id DESC LIMIT ?');
  for (let i = 0; i < STATUS_MANY_BODIES && refillCount > 0; i++) {
    const userId = pick(users);
    const ids = new Set(
      (await q.all<{ id: bigint }>(ownRefillIds, [userId, IDS_PER_STATUS])).map((row) => Number(row.id)),
    );
    ownRefills += ids.size;
    // Seeded refill ids are dense from 1 (see seed-sql.ts), so any pick names one, mostly another user's.
    while (ids.size < IDS_PER_STATUS) ids.add(pick(refillCount));
    refillStatusMany.push(form({ key: keyOf(userId), action: 'refill_status', refills: [...ids].join(',') }));
  }

  const keysOf = (count: number) => Array.from({ length: count }, () => keyOf(pick(users)));
  return {
    statusSingle,
    statusMany,
    statusManyOwnShare: own / (STATUS_MANY_BODIES * IDS_PER_STATUS),
    refillStatusMany,
    refillStatusManyOwnShare: ownRefills / (STATUS_MANY_BODIES * IDS_PER_STATUS),
    services: keysOf(SERVICES_KEYS).map((key) => form({ key, action: 'services' })),
    balance: keysOf(BALANCE_KEYS).map((key) => form({ key, action: 'balance' })),
    addKeys: keysOf(ADD_KEYS),
  };
}
