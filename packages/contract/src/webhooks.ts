import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List, Nullable } from './primitives.js';
import { IdParams } from './request-params.js';

/** A customer's webhook endpoint as listed: never its secret. */
export const Webhook = Type.Object(
  {
    id: Id,
    url: Type.String(),
    events: List(Type.String()),
    enabled: Type.Boolean(),
    /** The first failed delivery since the last success. */
    failingSince: Nullable(IsoTime),
    /** Why the panel disabled it (null when enabled, or disabled by its owner). */
    disabledReason: Nullable(Type.String()),
    createdAt: IsoTime,
  },
  { title: 'Webhook' },
);
export type Webhook = Static<typeof Webhook>;

export const WebhookList = Type.Object(
  {
    webhooks: List(Webhook),
    /** The events an endpoint may subscribe to. */
    events: List(Type.String()),
    /** The balance below which `balance.low` is sent once ("5.00000"); null: none set. */
    balanceLowThreshold: Nullable(Type.String()),
  },
  { title: 'WebhookList' },
);
export type WebhookList = Static<typeof WebhookList>;

const Url = Type.String({ minLength: 1, maxLength: 2000 });
const EventNames = Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 });

export const CreateWebhookBody = Type.Object(
  { url: Url, events: EventNames },
  { title: 'CreateWebhookBody' },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

/** A new endpoint: its secret in this answer once, never again. */
export const NewWebhook = Type.Object({ id: Id, secret: Type.String() }, { title: 'NewWebhook' });
export type NewWebhook = Static<typeof NewWebhook>;

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(EventNames),
    enabled: Type.Optional(Type.Boolean()),
    /** A new secret, in this answer once; the old one stops signing at once. */
    rotateSecret: Type.Optional(Type.Boolean()),
  },
  { title: 'UpdateWebhookBody', additionalProperties: false },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const UpdatedWebhook = Type.Object(
  { webhook: Webhook, secret: Nullable(Type.String()) },
  { title: 'UpdatedWebhook' },
);
export type UpdatedWebhook = Static<typeof UpdatedWebhook>;

export const WebhookDeleted = Type.Object({ deleted: Type.Literal(true) }, { title: 'WebhookDeleted' });
export type WebhookDeleted = Static<typeof WebhookDeleted>;

export const TestEventQueued = Type.Object({ messageId: Type.String() }, { title: 'TestEventQueued' });
export type TestEventQueued = Static<typeof TestEventQueued>;

/** One attempt to deliver one message. */
export const WebhookAttempt = Type.Object(
  {
    at: IsoTime,
    event: Type.String(),
    messageId: Type.String(),
    attempt: Type.Integer(),
    /** The receiver's HTTP status; null when none came (timed out, refused). */
    status: Nullable(Type.Integer()),
    durationMs: Type.Integer(),
    /** The first characters of the receiver's answer. */
    response: Type.String(),
    error: Nullable(Type.String()),
    /** Where the message stands now: pending (a retry is due), delivering, delivered or failed. */
    state: Type.String(),
  },
  { title: 'WebhookAttempt' },
);
export type WebhookAttempt = Static<typeof WebhookAttempt>;

export const WebhookAttemptList = Type.Object(
  { attempts: List(WebhookAttempt) },
  { title: 'WebhookAttemptList' },
);
export type WebhookAttemptList = Static<typeof WebhookAttemptList>;

/** `balance.low`'s threshold: an amount ("5", "12.50"), or null (or "") to send none. */
export const BalanceLowBody = Type.Object(
  { threshold: Nullable(Type.String({ maxLength: 30 })) },
  { title: 'BalanceLowBody', additionalProperties: false },
);
export type BalanceLowBody = Static<typeof BalanceLowBody>;

export const BalanceLowThreshold = Type.Object(
  { threshold: Nullable(Type.String()) },
  { title: 'BalanceLowThreshold' },
);
export type BalanceLowThreshold = Static<typeof BalanceLowThreshold>;

export const listWebhooks = endpoint('GET', '/webhooks', { answer: WebhookList });
export const createWebhook = endpoint('POST', '/webhooks', { body: CreateWebhookBody, answer: NewWebhook });
export const updateWebhook = endpoint('PATCH', '/webhooks/:id', {
  params: IdParams,
  body: UpdateWebhookBody,
  answer: UpdatedWebhook,
});
export const deleteWebhook = endpoint('DELETE', '/webhooks/:id', {
  params: IdParams,
  answer: WebhookDeleted,
});
export const sendWebhookTest = endpoint('POST', '/webhooks/:id/test', {
  params: IdParams,
  answer: TestEventQueued,
});
export const listWebhookAttempts = endpoint('GET', '/webhooks/:id/deliveries', {
  params: IdParams,
  answer: WebhookAttemptList,
});
export const setBalanceLowThreshold = endpoint('PUT', '/webhooks/balance-low', {
  body: BalanceLowBody,
  answer: BalanceLowThreshold,
});
