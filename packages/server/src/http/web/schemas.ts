/** JSON schemas of the web endpoints' inputs: Fastify validates each request against them first. */

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

export interface IdParams {
  id: number;
}

export const credentialsBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', maxLength: 64 },
    password: { type: 'string', maxLength: 1024 },
  },
} as const;

export interface CredentialsBody {
  username: string;
  password: string;
}

/** `add` parameters as the API takes them: every value a string. */
export const orderParamsBody = {
  type: 'object',
  required: ['params'],
  additionalProperties: false,
  properties: {
    params: {
      type: 'object',
      maxProperties: 30,
      additionalProperties: { type: 'string', maxLength: 100_000 },
    },
  },
} as const;

export interface OrderParamsBody {
  params: Record<string, string>;
}

export const massOrderBody = {
  type: 'object',
  required: ['orders'],
  additionalProperties: false,
  properties: { orders: { type: 'string', maxLength: 200_000 } },
} as const;

export const pageQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100_000 },
    status: { type: 'string', maxLength: 40 },
    q: { type: 'string', maxLength: 200 },
    kind: { type: 'string', enum: ['order', 'dripfeed', 'subscription'] },
    review: { type: 'boolean' },
  },
} as const;

export interface PageQuery {
  page?: number;
  status?: string;
  q?: string;
  kind?: 'order' | 'dripfeed' | 'subscription';
  review?: boolean;
}

export const fundsBody = {
  type: 'object',
  required: ['amount', 'memo'],
  additionalProperties: false,
  properties: {
    amount: { type: 'string', maxLength: 30 },
    memo: { type: 'string', minLength: 1, maxLength: 500 },
  },
} as const;

export const rateLimitBody = {
  type: 'object',
  required: ['perMinute'],
  additionalProperties: false,
  properties: { perMinute: { type: ['integer', 'null'], minimum: 0 } },
} as const;

export const rateBody = {
  type: 'object',
  required: ['service', 'rate'],
  additionalProperties: false,
  properties: {
    service: { type: 'integer', minimum: 1 },
    rate: { type: ['string', 'null'], maxLength: 30 },
  },
} as const;

export const statusBody = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', maxLength: 40 } },
} as const;

export const orderStatusBody = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', maxLength: 40 },
    startCount: { type: 'integer', minimum: 0 },
    remains: { type: 'integer', minimum: 0 },
  },
} as const;

const serviceFields = {
  name: { type: 'string', maxLength: 200 },
  type: { type: 'string', maxLength: 60 },
  category: { type: 'string', maxLength: 200 },
  rate: { type: 'string', maxLength: 30 },
  min: { type: 'integer' },
  max: { type: 'integer' },
  refill: { type: 'boolean' },
  refillDays: { type: 'integer' },
  cancel: { type: 'boolean' },
  dripfeed: { type: 'boolean' },
  allowDuplicateLinks: { type: 'boolean' },
  description: { type: 'string', maxLength: 10_000 },
  enabled: { type: 'boolean' },
} as const;

export const serviceBody = {
  type: 'object',
  required: ['name', 'type', 'category', 'rate', 'min', 'max'],
  additionalProperties: false,
  properties: serviceFields,
} as const;

export const serviceChangesBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: serviceFields,
} as const;

export const bulkEnableBody = {
  type: 'object',
  required: ['ids', 'enabled'],
  additionalProperties: false,
  properties: {
    ids: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 1000 },
    enabled: { type: 'boolean' },
  },
} as const;

export const reorderBody = {
  type: 'object',
  required: ['what', 'ids'],
  additionalProperties: false,
  properties: {
    what: { type: 'string', enum: ['categories', 'services'] },
    ids: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 10_000 },
  },
} as const;

export const providerBody = {
  type: 'object',
  required: ['name', 'url', 'apiKey'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 100 },
    url: { type: 'string', maxLength: 2000 },
    apiKey: { type: 'string', maxLength: 500 },
  },
} as const;

export const importBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    markup: { type: 'string', maxLength: 20 },
    fixed: { type: 'string', maxLength: 30 },
    categoryPrefix: { type: 'string', maxLength: 100 },
  },
} as const;

export const resolutionBody = {
  type: 'object',
  required: ['resolution'],
  additionalProperties: false,
  properties: {
    resolution: { type: 'string', enum: ['retry', 'manual', 'cancel', 'link'] },
    providerOrderId: { type: 'string', maxLength: 40 },
  },
} as const;

export const settingsBody = {
  type: 'object',
  required: ['panelName', 'currency'],
  additionalProperties: false,
  properties: {
    panelName: { type: 'string', maxLength: 60 },
    currency: { type: 'string', maxLength: 3 },
  },
} as const;

export const postBody = {
  type: 'object',
  additionalProperties: false,
  properties: { quantity: { type: 'integer', minimum: 1 } },
} as const;

export const repriceBody = {
  type: 'object',
  required: ['ids', 'markup'],
  additionalProperties: false,
  properties: {
    ids: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 1000 },
    markup: { type: 'string', maxLength: 20 },
    fixed: { type: 'string', maxLength: 30 },
  },
} as const;
