import { type BonusTier, formatBonusTiers, parseBonusTiers } from '../domain/deposits.js';
import { isSet } from './column-values.js';
import { type Queryable, sql } from './database.js';

/** A way customers pay in: a gateway (with its config, secrets included) or `manual`. */
export interface PaymentMethod {
  readonly id: number;
  /** `manual` or a gateway's name (see payments/registry.ts). */
  readonly gateway: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly min: bigint | null;
  readonly max: bigint | null;
  /** Hundredths of a percent. */
  readonly feeBps: number;
  readonly bonusTiers: readonly BonusTier[];
  readonly instructions: string | null;
  /** The gateway's normalised config, secrets in clear: never leaves the server unmasked. */
  readonly config: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface PaymentMethodRow {
  id: bigint;
  gateway: string;
  name: string;
  enabled: bigint;
  min_amount: bigint | null;
  max_amount: bigint | null;
  fee_bps: bigint;
  bonus_tiers: string;
  instructions: string | null;
  config: string;
  created_at: bigint;
  updated_at: bigint;
}

function readConfig(text: string): Record<string, string> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('corrupt row: a payment method config that is not an object');
  const config: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new Error(`corrupt row: payment method config ${key} is not text`);
    config[key] = item;
  }
  return config;
}

function toPaymentMethod(row: PaymentMethodRow): PaymentMethod {
  const tiers = parseBonusTiers(row.bonus_tiers);
  if (!tiers.ok) throw new Error(`corrupt row: payment method ${row.id} bonus tiers: ${tiers.reason}`);
  return {
    id: Number(row.id),
    gateway: row.gateway,
    name: row.name,
    enabled: isSet(row.enabled),
    min: row.min_amount,
    max: row.max_amount,
    feeBps: Number(row.fee_bps),
    bonusTiers: tiers.value,
    instructions: row.instructions,
    config: readConfig(row.config),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Everything of a method but its id and times: what an insert takes and an update writes. */
export type PaymentMethodFields = Omit<PaymentMethod, 'id' | 'createdAt' | 'updatedAt'>;

const COLUMNS =
  'id, gateway, name, enabled, min_amount, max_amount, fee_bps, bonus_tiers, instructions, config, created_at, updated_at';
const insertSql = sql(
  `INSERT INTO payment_methods (gateway, name, enabled, min_amount, max_amount, fee_bps, bonus_tiers, instructions, config, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
);
const updateSql = sql(
  `UPDATE payment_methods SET name = ?, enabled = ?, min_amount = ?, max_amount = ?, fee_bps = ?, bonus_tiers = ?,
     instructions = ?, config = ?, updated_at = ? WHERE id = ?`,
);
const selectById = sql(`SELECT ${COLUMNS} FROM payment_methods WHERE id = ?`);
const selectAll = sql(`SELECT ${COLUMNS} FROM payment_methods ORDER BY id`);
const selectEnabled = sql(`SELECT ${COLUMNS} FROM payment_methods WHERE enabled = 1 ORDER BY id`);

function values(fields: PaymentMethodFields) {
  return [
    fields.name,
    fields.enabled ? 1 : 0,
    fields.min,
    fields.max,
    fields.feeBps,
    formatBonusTiers(fields.bonusTiers),
    fields.instructions,
    JSON.stringify(fields.config),
  ] as const;
}

export async function insertPaymentMethod(
  q: Queryable,
  fields: PaymentMethodFields,
  now: number,
): Promise<number> {
  const row = await q.get<{ id: bigint }>(insertSql, [fields.gateway, ...values(fields), now, now]);
  if (!row) throw new Error('payment method insert returned no id');
  return Number(row.id);
}

/** Writes every field but the gateway, which a method keeps for life (its deposits name it). */
export async function updatePaymentMethod(
  q: Queryable,
  id: number,
  fields: PaymentMethodFields,
  now: number,
): Promise<void> {
  await q.run(updateSql, [...values(fields), now, id]);
}

export async function findPaymentMethod(q: Queryable, id: number): Promise<PaymentMethod | undefined> {
  const row = await q.get<PaymentMethodRow>(selectById, [id]);
  return row && toPaymentMethod(row);
}

export async function listPaymentMethods(
  q: Queryable,
  options: { enabledOnly: boolean },
): Promise<PaymentMethod[]> {
  const rows = await q.all<PaymentMethodRow>(options.enabledOnly ? selectEnabled : selectAll);
  return rows.map(toPaymentMethod);
}

const replaceConfigSql = sql('UPDATE payment_methods SET config = ? WHERE id = ? AND config = ?');

/**
 * Replaces a method's config only if it is still `expected` (compare-and-set on the whole stored
 * config), for re-sealing its secrets; false when it changed meanwhile.
 */
export async function replacePaymentMethodConfig(
  q: Queryable,
  change: {
    id: number;
    expected: Readonly<Record<string, string>>;
    config: Readonly<Record<string, string>>;
  },
): Promise<boolean> {
  const changed = await q.run(replaceConfigSql, [
    JSON.stringify(change.config),
    change.id,
    JSON.stringify(change.expected),
  ]);
  return changed === 1;
}
