import { type Failure, failureMessage } from '../../domain/errors.js';
import { SERVICE_TYPES, SUBSCRIPTION_DELAYS } from '../../domain/service-types.js';
import { MAX_IDS_PER_REQUEST } from '../../domain/id-list.js';
import { ACTIONS } from '../api-v2/actions.js';

/**
 * The API page of the client area, generated from what the server runs: the action list is the
 * dispatch table's keys (a documented action that does not exist, or an action left undocumented,
 * fails at start-up), the parameter sets of `add` come from the service-type table `add` validates
 * against, and every error string is rendered by the same `failureMessage` the API answers with.
 */
interface ActionDoc {
  readonly summary: string;
  readonly parameters: readonly { name: string; description: string }[];
  /** Example parameters beyond key and action. */
  readonly example: Readonly<Record<string, string>>;
  readonly answer: string;
  readonly errors: readonly Failure[];
}

const ORDER_ID: Failure = { code: 'INCORRECT_ORDER_ID' };
const TOO_MANY: Failure = { code: 'TOO_MANY_IDS' };

function actionDocs(currency: string): Record<string, ActionDoc> {
  return {
    services: {
      summary: 'The services you can order, with your price per 1000.',
      parameters: [],
      example: {},
      answer: JSON.stringify([
        {
          service: 1,
          name: 'Followers',
          type: 'Default',
          category: 'Instagram',
          rate: '0.90',
          min: '50',
          max: '10000',
          refill: true,
          cancel: true,
          dripfeed: false,
          desc: '',
        },
      ]),
      errors: [],
    },
    add: {
      summary: "Places an order. The parameters depend on the service's type (table below).",
      parameters: [
        { name: 'service', description: 'service id' },
        {
          name: 'request_id',
          description: `optional, up to 64 characters: the same id within 24 hours answers the first order again`,
        },
      ],
      example: { service: '1', link: 'https://instagram.com/example', quantity: '1000' },
      answer: JSON.stringify({ order: 23501 }),
      errors: [
        { code: 'INCORRECT_SERVICE' },
        { code: 'INCORRECT_PARAM', param: 'link' },
        { code: 'QUANTITY_BELOW_MIN', min: 50 },
        { code: 'QUANTITY_ABOVE_MAX', max: 10000 },
        { code: 'DRIPFEED_UNAVAILABLE' },
        { code: 'NOT_ENOUGH_FUNDS' },
        { code: 'DUPLICATE_ACTIVE_LINK' },
        { code: 'IDEMPOTENCY_MISMATCH' },
      ],
    },
    status: {
      summary: `Order status; \`orders\` takes up to ${MAX_IDS_PER_REQUEST} ids separated by commas.`,
      parameters: [
        { name: 'order', description: 'order id' },
        { name: 'orders', description: `or up to ${MAX_IDS_PER_REQUEST} ids separated by commas` },
      ],
      example: { order: '23501' },
      answer: JSON.stringify({
        charge: '0.27819',
        start_count: '3572',
        status: 'Partial',
        remains: '157',
        currency,
      }),
      errors: [ORDER_ID, TOO_MANY],
    },
    refill: {
      summary: 'Asks for a refill of a completed order.',
      parameters: [
        { name: 'order', description: 'order id' },
        { name: 'orders', description: `or up to ${MAX_IDS_PER_REQUEST} ids separated by commas` },
      ],
      example: { order: '23501' },
      answer: JSON.stringify({ refill: '1' }),
      errors: [
        ORDER_ID,
        { code: 'REFILL_DISABLED' },
        { code: 'ORDER_NOT_COMPLETED' },
        { code: 'REFILL_DAYS_OVER' },
        { code: 'REFILL_TOO_SOON' },
        TOO_MANY,
      ],
    },
    refill_status: {
      summary: 'Status of a refill: Pending, In progress, Completed or Rejected.',
      parameters: [
        { name: 'refill', description: 'refill id' },
        { name: 'refills', description: `or up to ${MAX_IDS_PER_REQUEST} ids separated by commas` },
      ],
      example: { refill: '1' },
      answer: JSON.stringify({ status: 'Completed' }),
      errors: [{ code: 'REFILL_NOT_FOUND' }, TOO_MANY],
    },
    cancel: {
      summary: 'Cancels orders not finished yet; a pending order is refunded at once.',
      parameters: [{ name: 'orders', description: `up to ${MAX_IDS_PER_REQUEST} ids separated by commas` }],
      example: { orders: '23501,23502' },
      answer: JSON.stringify([
        { order: 23501, cancel: 1 },
        { order: 23502, cancel: { error: failureMessage({ code: 'CANNOT_CANCEL' }) } },
      ]),
      errors: [ORDER_ID, { code: 'CANCEL_DISABLED' }, { code: 'CANNOT_CANCEL' }, TOO_MANY],
    },
    balance: {
      summary: 'Your balance.',
      parameters: [],
      example: {},
      answer: JSON.stringify({ balance: '100.84292', currency }),
      errors: [],
    },
  };
}

function checkCoverage(docs: Record<string, ActionDoc>): void {
  const documented = Object.keys(docs).sort().join(',');
  const served = Object.keys(ACTIONS).sort().join(',');
  if (documented !== served) throw new Error(`API docs cover ${documented}, the API serves ${served}`);
}
checkCoverage(actionDocs('USD'));

export function describeApi(currency: string, origin: string) {
  const url = `${origin}/api/v2`;
  const docs = actionDocs(currency);
  return {
    url,
    common: {
      errors: [{ code: 'INVALID_API_KEY' }, { code: 'INCORRECT_REQUEST' }, { code: 'RATE_LIMITED' }].map(
        (f) => failureMessage(f as Failure),
      ),
    },
    actions: Object.keys(ACTIONS).map((action) => {
      const doc = docs[action]!;
      const form = new URLSearchParams({ key: 'YOUR_API_KEY', action, ...doc.example }).toString();
      return {
        action,
        summary: doc.summary,
        parameters: doc.parameters,
        curl: `curl -s -d '${form}' ${url}`,
        answer: doc.answer,
        errors: doc.errors.map(failureMessage),
      };
    }),
    serviceTypes: Object.values(SERVICE_TYPES).map((spec) => ({
      type: spec.name,
      required: spec.required,
      optional: [...spec.optional, ...(spec.dripfeedCapable ? ['runs', 'interval'] : [])],
      quantity: spec.quantity,
      pricing: spec.pricing,
    })),
    subscriptionDelays: SUBSCRIPTION_DELAYS,
  };
}
