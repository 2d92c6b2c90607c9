import { type Failure, failureMessage } from '../../domain/errors.js';
import { MAX_IDS_PER_REQUEST } from '../../domain/id-list.js';
import { SERVICE_TYPES, SUBSCRIPTION_DELAYS } from '../../domain/service-types.js';
import { WEBHOOK_EVENTS } from '../../domain/webhooks.js';
import { ACTIONS } from './actions.js';

/**
 * The OpenAPI 3.1 document of API v2, generated from what the server runs: one request schema and
 * one answer schema per action of the dispatch table (a documented action that is not served, or a
 * served one left undocumented, fails at start-up), `add`'s parameters from the service-type table
 * it validates against, and the error strings from `failureMessage`. API v2 is one endpoint chosen
 * by `action`, so the request is a `oneOf` discriminated by `action`; the customer webhooks are the
 * document's `webhooks`.
 */
type Schema = Record<string, unknown>;

const text = (description: string): Schema => ({ type: 'string', description });
const integer = (description: string): Schema => ({ type: 'integer', description });
const money = text('money: a decimal string with 5 decimals, e.g. "0.27819"');
const idList = text(`up to ${MAX_IDS_PER_REQUEST} ids separated by commas`);
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const object = (
  properties: Record<string, Schema>,
  required: readonly string[] = Object.keys(properties),
) => ({
  type: 'object',
  properties,
  required,
});

interface ActionSpec {
  readonly summary: string;
  readonly parameters: Record<string, Schema>;
  readonly required: readonly string[];
  readonly answer: Schema;
  readonly errors: readonly Failure[];
}

const ORDER_ID: Failure = { code: 'INCORRECT_ORDER_ID' };
const TOO_MANY: Failure = { code: 'TOO_MANY_IDS' };

/** `add`'s parameters: every name the service types take, each saying which types need it. */
function addParameters(): Record<string, Schema> {
  const names = new Map<string, { required: string[]; optional: string[] }>();
  const note = (name: string, type: string, kind: 'required' | 'optional') => {
    const entry = names.get(name) ?? { required: [], optional: [] };
    entry[kind].push(type);
    names.set(name, entry);
  };
  for (const spec of Object.values(SERVICE_TYPES)) {
    for (const name of spec.required) note(name, spec.name, 'required');
    for (const name of spec.optional) note(name, spec.name, 'optional');
    if (spec.dripfeedCapable) for (const name of ['runs', 'interval']) note(name, spec.name, 'optional');
  }
  const parameters: Record<string, Schema> = {
    service: integer('service id'),
    request_id: {
      type: 'string',
      maxLength: 64,
      description: 'optional: the same id within 24 hours answers the first order again and creates nothing',
    },
  };
  for (const [name, { required, optional }] of names) {
    const parts = [
      required.length > 0 ? `required by: ${required.join(', ')}` : '',
      optional.length > 0 ? `optional for: ${optional.join(', ')}` : '',
    ].filter((part) => part !== '');
    const extra = name === 'delay' ? `; one of ${SUBSCRIPTION_DELAYS.join(', ')} (minutes)` : '';
    parameters[name] = text(`${parts.join('; ')}${extra}`);
  }
  return parameters;
}

const ORDER_STATUS = object({
  charge: money,
  start_count: text('a count, as a string'),
  status: {
    type: 'string',
    enum: ['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled'],
  },
  remains: text('a count, as a string'),
  currency: text('ISO currency code'),
});
const DRIPFEED_STATUS = {
  ...ORDER_STATUS,
  properties: {
    ...ORDER_STATUS.properties,
    runs: text('total runs, as a string'),
    orders: { type: 'array', items: { type: 'integer' }, description: 'the runs created so far' },
  },
  required: [...ORDER_STATUS.required, 'runs', 'orders'],
};
const SUBSCRIPTION_STATUS = object({
  status: { type: 'string', enum: ['Active', 'Paused', 'Completed', 'Expired', 'Canceled'] },
  expiry: { type: ['string', 'null'], description: 'd/m/Y' },
  posts: text('posts processed, as a string'),
  orders: { type: 'array', items: { type: 'integer' } },
  charge: money,
  currency: text('ISO currency code'),
});
const ONE_STATUS = { oneOf: [ref('OrderStatus'), ref('DripfeedStatus'), ref('SubscriptionStatus')] };
const orError = (schema: Schema): Schema => ({ oneOf: [schema, ref('Error')] });

function actionSpecs(): Record<string, ActionSpec> {
  return {
    services: {
      summary: 'The services you can order, with your price per 1000.',
      parameters: {},
      required: [],
      answer: {
        type: 'array',
        items: object({
          service: integer('service id'),
          name: text('name'),
          type: { type: 'string', enum: Object.keys(SERVICE_TYPES) },
          category: text('category'),
          rate: text('your price per 1000: a decimal string, at least 2 decimals'),
          min: text('minimal quantity, as a string'),
          max: text('maximal quantity, as a string'),
          refill: { type: 'boolean' },
          cancel: { type: 'boolean' },
          dripfeed: { type: 'boolean' },
          desc: text('description'),
        }),
      },
      errors: [],
    },
    add: {
      summary: "Places an order; the parameters depend on the service's type.",
      parameters: addParameters(),
      required: ['service'],
      answer: object({ order: integer('the new order id') }),
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
      summary: 'Status of one order (`order`), or of several (`orders`): an object keyed by each id.',
      parameters: { order: integer('order id'), orders: idList },
      required: [],
      answer: {
        oneOf: [
          ONE_STATUS,
          {
            type: 'object',
            additionalProperties: orError(ONE_STATUS),
            description: 'keyed by the requested ids',
          },
        ],
      },
      errors: [ORDER_ID, TOO_MANY],
    },
    refill: {
      summary: 'Asks for a refill of a completed order (`order`), or of several (`orders`).',
      parameters: { order: integer('order id'), orders: idList },
      required: [],
      answer: {
        oneOf: [
          object({ refill: text('the refill id, as a string') }),
          {
            type: 'array',
            items: object({ order: integer('order id'), refill: orError({ type: 'integer' }) }),
          },
        ],
      },
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
      summary: 'Status of a refill (`refill`), or of several (`refills`).',
      parameters: { refill: integer('refill id'), refills: idList },
      required: [],
      answer: {
        oneOf: [
          object({ status: ref('RefillStatus') }),
          {
            type: 'array',
            items: object({ refill: integer('refill id'), status: orError(ref('RefillStatus')) }),
          },
        ],
      },
      errors: [{ code: 'REFILL_NOT_FOUND' }, TOO_MANY],
    },
    cancel: {
      summary: 'Cancels orders not finished yet; an order not yet sent is refunded at once.',
      parameters: { orders: idList, order: integer('one order id') },
      required: [],
      answer: {
        type: 'array',
        items: object({ order: integer('order id'), cancel: orError({ type: 'integer', const: 1 }) }),
      },
      errors: [ORDER_ID, { code: 'CANCEL_DISABLED' }, { code: 'CANNOT_CANCEL' }, TOO_MANY],
    },
    balance: {
      summary: 'Your balance.',
      parameters: {},
      required: [],
      answer: object({ balance: money, currency: text('ISO currency code') }),
      errors: [],
    },
  };
}

function checkCoverage(specs: Record<string, ActionSpec>): void {
  const documented = Object.keys(specs).sort().join(',');
  const served = Object.keys(ACTIONS).sort().join(',');
  if (documented !== served) throw new Error(`OpenAPI covers ${documented}, the API serves ${served}`);
}
checkCoverage(actionSpecs());

const pascal = (action: string) =>
  action
    .split('_')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

const COMMON_ERRORS: readonly Failure[] = [{ code: 'INVALID_API_KEY' }, { code: 'INCORRECT_REQUEST' }];

function webhookSchemas(): Record<string, Schema> {
  const envelope = (type: string, data: Schema): Schema =>
    object({ type: { type: 'string', const: type }, timestamp: text('ISO 8601 time of the event'), data });
  return {
    'order.updated': envelope(
      'order.updated',
      object(
        {
          ...ORDER_STATUS.properties,
          order: integer('order id'),
          sequence: integer('1, 2, 3… per order: drop an update older than one already seen'),
          parent: integer('the drip-feed or subscription of a run or post'),
          runs: text('drip-feed parents: total runs'),
          orders: { type: 'array', items: { type: 'integer' } },
        },
        ['order', 'sequence', ...ORDER_STATUS.required],
      ),
    ),
    'refill.updated': envelope(
      'refill.updated',
      object({ refill: integer('refill id'), order: integer('order id'), status: ref('RefillStatus') }),
    ),
    'deposit.paid': envelope(
      'deposit.paid',
      object({
        deposit: integer('deposit id'),
        amount: text('credited, "10.00000"'),
        bonus: text('bonus credited with it, "0.50000"'),
        method: text('the payment method'),
        currency: text('the panel currency'),
      }),
    ),
    'balance.low': envelope(
      'balance.low',
      object({
        balance: text('the balance after the change, "4.91000"'),
        threshold: text('the threshold the customer set, "5.00000"'),
        currency: text('the panel currency'),
        entry: text('the ledger entry that took the balance below the threshold'),
      }),
    ),
  };
}

/** The document, for a panel reached at `origin`. */
export function apiV2OpenApi(origin: string): Schema {
  const specs = actionSpecs();
  const schemas: Record<string, Schema> = {
    Error: { ...object({ error: text('what went wrong, as listed in the API documentation') }) },
    OrderStatus: ORDER_STATUS,
    DripfeedStatus: DRIPFEED_STATUS,
    SubscriptionStatus: SUBSCRIPTION_STATUS,
    RefillStatus: { type: 'string', enum: ['Pending', 'In progress', 'Completed', 'Rejected'] },
  };
  const mapping: Record<string, string> = {};
  for (const [action, spec] of Object.entries(specs)) {
    const name = pascal(action);
    schemas[`${name}Request`] = {
      type: 'object',
      description: spec.summary,
      properties: {
        key: text('your API key'),
        action: { type: 'string', const: action },
        ...spec.parameters,
      },
      required: ['key', 'action', ...spec.required],
    };
    schemas[`${name}Answer`] = { description: `the answer to ${action}`, ...spec.answer };
    mapping[action] = `#/components/schemas/${name}Request`;
  }
  const actions = Object.keys(specs);
  const request = {
    oneOf: actions.map((action) => ref(`${pascal(action)}Request`)),
    discriminator: { propertyName: 'action', mapping },
  };
  const errorContent = { 'application/json': { schema: ref('Error') } };
  const errorList = (failures: readonly Failure[]) =>
    failures.map((failure) => `\`${failureMessage(failure)}\``);
  const description = [
    'The standard SMM panel API: one endpoint, the `action` parameter chooses what it does.',
    'Parameters come as a form, multipart or a JSON object (a GET with a query string works too).',
    'An API-level failure is HTTP 200 with `{"error": "..."}`.',
    '',
    ...actions.map((action) => {
      const errors = errorList(specs[action]!.errors);
      return `- \`${action}\`: ${specs[action]!.summary}${errors.length > 0 ? ` Errors: ${errors.join(', ')}.` : ''}`;
    }),
    '',
    `Every action may answer ${errorList(COMMON_ERRORS).join(', ')}.`,
  ].join('\n');
  return {
    openapi: '3.1.0',
    info: { title: 'smmkit API v2', version: '2', description },
    servers: [{ url: origin }],
    paths: {
      '/api/v2': {
        post: {
          operationId: 'callAction',
          summary: 'Calls one action',
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': { schema: request },
              'multipart/form-data': { schema: request },
              'application/json': { schema: request },
            },
          },
          responses: {
            '200': {
              description: 'The action\'s answer, or `{"error": "..."}`',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [...actions.map((action) => ref(`${pascal(action)}Answer`)), ref('Error')],
                  },
                },
              },
            },
            '413': { description: 'The body is over the size limit', content: errorContent },
            '429': {
              description: 'Too many requests for this key',
              headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } },
              content: errorContent,
            },
            '500': { description: 'A server fault (nothing leaked)', content: errorContent },
          },
        },
      },
    },
    webhooks: Object.fromEntries(
      Object.entries(webhookSchemas()).map(([event, schema]) => [
        event,
        {
          post: {
            summary: `${event} (signed as Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)`,
            requestBody: { required: true, content: { 'application/json': { schema } } },
            responses: { '200': { description: 'Any 2xx within 10 s counts as delivered' } },
          },
        },
      ]),
    ),
    components: { schemas },
  };
}

/** The events of the document's `webhooks`: every event a customer may subscribe to. */
export const DOCUMENTED_WEBHOOKS: readonly string[] = Object.keys(webhookSchemas());
if (DOCUMENTED_WEBHOOKS.join(',') !== WEBHOOK_EVENTS.join(',')) {
  throw new Error(
    `OpenAPI documents webhooks ${DOCUMENTED_WEBHOOKS.join(',')}, the panel sends ${WEBHOOK_EVENTS.join(',')}`,
  );
}
