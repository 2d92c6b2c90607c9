import {
  type BonusTier,
  MANUAL_GATEWAY,
  parseBonusTiers,
  parseDepositAmount,
  parsePercent,
} from '../../domain/deposits.js';
import { type Failure } from '../../domain/errors.js';
import type { PaymentMethod } from '../../store/payment-methods.js';
import { findGateway, gatewayNames } from '../../payments/registry.js';

/** What the admin (web or CLI) gives for a method, as text: every field parsed and checked here once. */
export interface PaymentMethodInput {
  readonly name?: string | undefined;
  readonly enabled?: boolean | undefined;
  /** "" or null: no limit. */
  readonly min?: string | null | undefined;
  readonly max?: string | null | undefined;
  readonly feePercent?: string | undefined;
  /** "100:5,500:10"; "": no bonus. */
  readonly bonus?: string | undefined;
  /** "" or null: none. */
  readonly instructions?: string | null | undefined;
  /** The gateway's config (JSON object); on an update, merged over the stored one. */
  readonly config?: unknown;
}

export const MASK = '********';

const invalid = (field: string, reason: string): Failure => ({ code: 'INVALID_INPUT', field, reason });

function limit(text: string | null | undefined, field: string): bigint | null | Failure {
  if (text === null || text === undefined || text.trim() === '') return null;
  const parsed = parseDepositAmount(text);
  return parsed.ok ? parsed.value : invalid(field, parsed.reason);
}

const isFailure = (value: unknown): value is Failure =>
  typeof value === 'object' && value !== null && 'code' in value;

/** The gateways `--gateway` accepts, for error messages. */
export function gatewayChoices(): string {
  return [MANUAL_GATEWAY, ...gatewayNames()].join(', ');
}

function parseConfig(gateway: string, config: unknown): Record<string, string> | Failure {
  if (gateway === MANUAL_GATEWAY) {
    const empty =
      config === undefined ||
      (typeof config === 'object' &&
        config !== null &&
        !Array.isArray(config) &&
        Object.keys(config).length === 0);
    return empty ? {} : invalid('config', 'the manual method takes no config');
  }
  const definition = findGateway(gateway);
  if (definition === null) return invalid('gateway', `one of ${gatewayChoices()}`);
  try {
    return definition.parseConfig(config ?? {});
  } catch (error) {
    return invalid('config', error instanceof Error ? error.message : 'not accepted by the gateway');
  }
}

/**
 * Applies the input over `base` (a stored method, or the defaults of a new one) and checks the
 * result whole: the method as it would be stored, or the first failure.
 */
export function buildPaymentMethod(
  gateway: string,
  base: Omit<PaymentMethod, 'id' | 'createdAt' | 'updatedAt' | 'gateway'>,
  input: PaymentMethodInput,
): Omit<PaymentMethod, 'id' | 'createdAt' | 'updatedAt'> | Failure {
  const name = input.name === undefined ? base.name : input.name.trim();
  if (name === '' || name.length > 100) return invalid('name', '1-100 characters');
  const min = input.min === undefined ? base.min : limit(input.min, 'min');
  if (isFailure(min)) return min;
  const max = input.max === undefined ? base.max : limit(input.max, 'max');
  if (isFailure(max)) return max;
  if (min !== null && max !== null && min > max) return invalid('max', 'must not be below the minimum');
  let feeBps = base.feeBps;
  if (input.feePercent !== undefined) {
    const fee = parsePercent(input.feePercent);
    if (!fee.ok) return invalid('fee percent', fee.reason);
    feeBps = fee.value;
  }
  let bonusTiers: readonly BonusTier[] = base.bonusTiers;
  if (input.bonus !== undefined) {
    const tiers = parseBonusTiers(input.bonus);
    if (!tiers.ok) return invalid('bonus', tiers.reason);
    bonusTiers = tiers.value;
  }
  let instructions = base.instructions;
  if (input.instructions !== undefined) {
    const text = (input.instructions ?? '').trim();
    if (text.length > 2000) return invalid('instructions', 'at most 2000 characters');
    instructions = text === '' ? null : text;
  }
  let config = base.config;
  if (input.config !== undefined || gateway === MANUAL_GATEWAY || Object.keys(base.config).length === 0) {
    const given = input.config;
    if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
      return invalid('config', 'a JSON object');
    // Secrets are never shown again: an update names only what changes, the rest is kept.
    const merged =
      given === undefined ? base.config : { ...base.config, ...(given as Record<string, unknown>) };
    const parsed = parseConfig(gateway, gateway === MANUAL_GATEWAY ? given : merged);
    if (isFailure(parsed)) return parsed;
    config = parsed;
  }
  return {
    gateway,
    name,
    enabled: input.enabled ?? base.enabled,
    min,
    max,
    feeBps,
    bonusTiers,
    instructions,
    config,
  };
}

/**
 * A method's config as it may be shown: its gateway's secret fields masked (every field, should
 * the gateway be unknown to this build).
 */
export function maskedConfig(method: Pick<PaymentMethod, 'gateway' | 'config'>): Record<string, string> {
  const definition = findGateway(method.gateway);
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(method.config))
    shown[key] = definition === null || definition.secretFields.includes(key) ? MASK : value;
  return shown;
}
