import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, List, Money, Nullable, Rate, StringEnum } from '../primitives.js';
import { IdParams } from '../request-params.js';

/** An upstream panel, its key masked, with its remembered markup, dispatch policy and health. */
export const Provider = Type.Object(
  {
    id: Id,
    name: Type.String(),
    url: Type.String(),
    /** The first four characters and "…". */
    key: Type.String(),
    currency: Nullable(Type.String()),
    balance: Nullable(Money),
    balanceAt: Nullable(IsoTime),
    /** The last import's markup, which sync applies to rate changes. */
    markup: Type.String(),
    fixedMarkup: Money,
    honoursRequestId: Type.Boolean(),
    onRefusal: StringEnum(['cancel', 'review']),
    pausedUntil: Nullable(IsoTime),
    lastError: Nullable(Type.String()),
    lastErrorAt: Nullable(IsoTime),
  },
  { title: 'Provider' },
);
export type Provider = Static<typeof Provider>;

export const ProviderList = Type.Object({ providers: List(Provider) }, { title: 'ProviderList' });
export type ProviderList = Static<typeof ProviderList>;

/** The key is checked with a `balance` call before anything is stored. */
export const ProviderBody = Type.Object(
  {
    name: Type.String({ maxLength: 100 }),
    url: Type.String({ maxLength: 2000 }),
    apiKey: Type.String({ maxLength: 500 }),
  },
  { title: 'ProviderBody', additionalProperties: false },
);
export type ProviderBody = Static<typeof ProviderBody>;

export const ProviderAdded = Type.Object({ id: Id }, { title: 'ProviderAdded' });
export type ProviderAdded = Static<typeof ProviderAdded>;

/** Empty or missing parts take the provider's remembered markup. */
export const ImportBody = Type.Object(
  {
    /** e.g. "25%". */
    markup: Type.Optional(Type.String({ maxLength: 20 })),
    fixed: Type.Optional(Type.String({ maxLength: 30 })),
    /** Put before each provider category name. */
    categoryPrefix: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { title: 'ImportBody', additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;

const providerService = Type.String({ description: "the provider's service id" });

export const ImportReport = Type.Object(
  {
    provider: Id,
    markup: Type.String(),
    created: List(Type.Object({ service: Id, providerService, name: Type.String(), rate: Rate })),
    alreadyImported: List(Type.Object({ service: Id, providerService })),
    skipped: List(Type.Object({ providerService, reason: Type.String() })),
  },
  { title: 'ImportReport' },
);
export type ImportReport = Static<typeof ImportReport>;

/** A term of a provider-backed service that sync changed. */
export const FieldChange = Type.Object(
  {
    service: Id,
    providerService,
    field: StringEnum(['providerRate', 'rate', 'min', 'max', 'refill', 'cancel', 'dripfeed']),
    old: Type.Unsafe<string | number | boolean | null>({ type: ['string', 'number', 'boolean', 'null'] }),
    new: Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] }),
  },
  { title: 'FieldChange' },
);
export type FieldChange = Static<typeof FieldChange>;

export const SyncReport = Type.Object(
  {
    provider: Id,
    changed: List(FieldChange),
    /** Services whose provider service is gone: disabled. */
    disabled: List(Type.Object({ service: Id, providerService })),
    /** Present when services a sync had disabled are offered again: enabled. */
    enabled: Type.Optional(List(Type.Object({ service: Id, providerService }))),
    /** Services whose new terms the panel cannot take: left as they were. */
    skipped: List(Type.Object({ service: Id, providerService, reason: Type.String() })),
    /** Always 0: sync never imports. */
    added: Type.Literal(0),
    /** Provider services an import would add. */
    notImported: List(Type.String()),
  },
  { title: 'SyncReport' },
);
export type SyncReport = Static<typeof SyncReport>;

export const ProviderBalance = Type.Object(
  { id: Id, name: Type.String(), balance: Money, currency: Type.String() },
  { title: 'ProviderBalance' },
);
export type ProviderBalance = Static<typeof ProviderBalance>;

export const listProviders = endpoint('GET', '/admin/providers', { answer: ProviderList });
export const addProvider = endpoint('POST', '/admin/providers', {
  body: ProviderBody,
  answer: ProviderAdded,
});
export const importServices = endpoint('POST', '/admin/providers/:id/import', {
  params: IdParams,
  body: ImportBody,
  answer: ImportReport,
});
export const syncServices = endpoint('POST', '/admin/providers/:id/sync', {
  params: IdParams,
  answer: SyncReport,
});
export const getProviderBalance = endpoint('POST', '/admin/providers/:id/balance', {
  params: IdParams,
  answer: ProviderBalance,
});
