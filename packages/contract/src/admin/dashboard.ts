import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, IsoTime, List, Money, Nullable, Rate } from '../primitives.js';

export const DashboardDay = Type.Object(
  {
    /** YYYY-MM-DD, UTC. */
    date: Type.String(),
    orders: Type.Integer(),
    revenue: Money,
    profit: Money,
  },
  { title: 'DashboardDay' },
);
export type DashboardDay = Static<typeof DashboardDay>;

/** A provider's last scheduled catalogue sync: what it changed, or why it failed, and what it held back. */
export const CatalogSyncResult = Type.Object(
  {
    providerId: Id,
    providerName: Type.String(),
    at: IsoTime,
    /** Why the sync failed; null when it ran. */
    error: Nullable(Type.String()),
    /** Services whose terms changed, disabled (gone at the provider), enabled again, skipped. */
    changed: Type.Integer(),
    disabled: Type.Integer(),
    enabled: Type.Integer(),
    skipped: Type.Integer(),
    /** Provider services not imported. */
    notImported: Type.Integer(),
    /** `--follow-prices notify`: the provider's rate moved and the price was left as it was. */
    priceNotices: List(
      Type.Object({
        service: Id,
        providerService: Type.String(),
        oldProviderRate: Rate,
        newProviderRate: Rate,
        rate: Rate,
        withMarkup: Rate,
      }),
    ),
    /** `--on-removed notify`: gone at the provider and left on sale here. */
    removedNotices: List(Type.Object({ service: Id, providerService: Type.String() })),
  },
  { title: 'CatalogSyncResult' },
);
export type CatalogSyncResult = Static<typeof CatalogSyncResult>;

/** The owner's overview: the last 14 days, orders by status, providers' balances. */
export const Dashboard = Type.Object(
  {
    days: List(DashboardDay),
    totals: Type.Object({ revenue: Money, profit: Money }),
    /** Top-level orders by status label (subscriptions as "Subscription active"…). */
    ordersByStatus: List(Type.Object({ status: Type.String(), count: Type.Integer() })),
    /** Each provider's last known balance, in its currency. */
    providers: List(
      Type.Object({
        id: Id,
        name: Type.String(),
        balance: Nullable(Money),
        currency: Nullable(Type.String()),
      }),
    ),
    /** Customers (staff accounts, the first admin among them, are not counted). */
    users: Type.Integer(),
    /** What the panel owes its customers: the sum of their balances. */
    balances: Money,
    /** Orders waiting in the dispatch review list. */
    review: Type.Integer(),
    /** The latest scheduled catalogue sync of each provider, most recent first. */
    catalogSyncs: List(CatalogSyncResult),
  },
  { title: 'Dashboard' },
);
export type Dashboard = Static<typeof Dashboard>;

export const getAdminDashboard = endpoint('GET', '/admin/dashboard', { answer: Dashboard });
