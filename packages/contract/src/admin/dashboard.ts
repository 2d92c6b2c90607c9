import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { Id, List, Money, Nullable } from '../primitives.js';

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
  },
  { title: 'Dashboard' },
);
export type Dashboard = Static<typeof Dashboard>;

export const getAdminDashboard = endpoint('GET', '/admin/dashboard', { answer: Dashboard });
