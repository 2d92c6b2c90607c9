import type { Service } from '@smmkit/client';
import { type Money, parseMoney } from '../../domain/money.js';
import { type ServiceTypeName, isServiceTypeName } from '../../domain/service-types.js';

/** One entry of a provider's `services` answer, parsed into the values a local service stores. */
export interface ProviderOffer {
  readonly providerServiceId: string;
  readonly name: string;
  readonly type: ServiceTypeName;
  readonly category: string;
  readonly rate: Money;
  readonly min: number;
  readonly max: number;
  readonly refill: boolean;
  readonly cancel: boolean;
  readonly dripfeed: boolean;
  readonly description: string;
}

export type OfferReading = { ok: true; offer: ProviderOffer } | { ok: false; reason: string };

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : null;
}

/** A provider's answer is untrusted input: anything smmkit cannot store exactly is refused with a reason. */
export function readProviderOffer(service: Service): OfferReading {
  if (!isServiceTypeName(service.type)) {
    return { ok: false, reason: `type ${JSON.stringify(service.type)} is not one smmkit knows` };
  }
  const rate = parseMoney(service.rate);
  if (rate === null || rate < 0n) {
    return {
      ok: false,
      reason: `rate ${JSON.stringify(service.rate)} is not an amount with up to 5 decimals`,
    };
  }
  const min = wholeNumber(service.min);
  const max = wholeNumber(service.max);
  if (min === null || max === null) {
    return {
      ok: false,
      reason: `min/max ${JSON.stringify(`${service.min}/${service.max}`)} are not whole numbers`,
    };
  }
  return {
    ok: true,
    offer: {
      providerServiceId: String(service.service),
      name: service.name,
      type: service.type,
      category: service.category,
      rate,
      min,
      max,
      refill: service.refill,
      cancel: service.cancel,
      // Panels that predate drip-feed leave the field out: they do not offer it.
      dripfeed: service.dripfeed ?? false,
      description: service.desc ?? '',
    },
  };
}
