/** Shapes of the web endpoints' answers (money is always a decimal string from the server). */

export interface SessionUser {
  id: number;
  username: string;
  role: 'customer' | 'admin';
  balance: string;
}

export interface PanelInfo {
  panelName: string;
  currency: string;
}

export interface SessionAnswer {
  panel: PanelInfo;
  user: SessionUser | null;
  csrfToken: string | null;
}

export interface CatalogService {
  id: number;
  name: string;
  category: string;
  type: string;
  description: string;
  rate: string;
  min: number;
  max: number;
  refill: boolean;
  cancel: boolean;
  dripfeed: boolean;
  oldPosts: boolean;
}

export interface TypeSpec {
  required: string[];
  optional: string[];
  quantity: { from: 'param' | 'lines' | 'fixed' | 'subscription'; param?: string; quantity?: number };
  pricing: 'per1000' | 'flat' | 'perChild';
}

export interface Catalog {
  services: CatalogService[];
  subscriptionDelays: number[];
  types: Record<string, TypeSpec>;
}

export interface OrderChild {
  id: number;
  status: string;
  quantity: number;
  remains: number;
  startCount: number;
  charge: string;
  createdAt: string;
}

export interface Order {
  id: number;
  userId: number;
  username: string;
  serviceId: number;
  serviceName: string;
  serviceType: string;
  kind: 'order' | 'dripfeed' | 'subscription';
  status: string;
  link: string | null;
  quantity: number;
  runs: number | null;
  interval: number | null;
  details: Record<string, unknown>;
  charge: string;
  refunded: string;
  startCount: number;
  remains: number;
  createdAt: string;
  canRefill: boolean;
  canCancel: boolean;
  dispatchState?: string;
  dispatchError?: string | null;
  children: OrderChild[];
}

export interface OrderPage {
  orders: Order[];
  total: number;
  page: number;
  pageSize: number;
}

export interface LedgerEntry {
  id: number;
  kind: string;
  amount: string;
  orderId: number | null;
  memo: string | null;
  balanceAfter: string;
  createdAt: string;
}

export interface Refill {
  id: number;
  orderId: number;
  username: string;
  status: string;
  link: string | null;
  serviceName: string;
  createdAt: string;
}

export const ORDER_STATUSES = ['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled'];
export const SUBSCRIPTION_STATUSES = ['Active', 'Paused', 'Completed', 'Expired', 'Canceled'];
export const REFILL_STATUSES = ['Pending', 'In progress', 'Completed', 'Rejected'];
