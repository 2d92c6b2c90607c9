/**
 * The staff roles and what each may do, as names the web app and the admin API share with the
 * server. Which role holds which permission is decided once, in the server's domain
 * (`domain/permissions.ts`); this module only names them, and imports nothing, so the domain can use
 * it (`@smmkit/contract/permissions`).
 */
export const STAFF_ROLES = ['owner', 'manager', 'support'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = [
  /** The admin dashboard and the panel's settings as read. */
  'dashboard.read',
  /** Users: list, search, their ledger, rates and limits as set. */
  'users.read',
  /** Users: create, suspend, custom rates, API rate limits, send a reset link. */
  'users.write',
  /** Users: adjust a balance (a ledger entry with a memo). */
  'users.funds',
  /** Sign in as a customer, to see the panel as they do. */
  'users.impersonate',
  /** Staff accounts and their roles. */
  'staff.manage',
  /** Orders, refills, subscriptions and the review list, as read. */
  'orders.read',
  /** Orders: change a status, resolve the review list, record a subscription post. */
  'orders.write',
  /** Refills: move a refill along, or request one for a customer's order. */
  'refills.act',
  /** Cancels: cancel a customer's order through the cancel rules. */
  'cancels.act',
  /** Services and categories, as read. */
  'services.read',
  /** Services and categories: create, edit, enable, reorder, reprice. */
  'services.write',
  /** Providers: list (keys masked), balances. */
  'providers.read',
  /** Providers: import and sync their services. */
  'providers.sync',
  /** Providers: add one, change its key and its dispatch policy. */
  'providers.write',
  /** Deposits and the payments dashboard, as read. */
  'payments.read',
  /** Deposits: approve or reject a manual payment, settle one held for review. */
  'payments.decide',
  /** Payment methods and their gateway secrets. */
  'payments.settings',
  /** Support tickets, as read. */
  'tickets.read',
  /** Support tickets: answer, close, act on the orders they name. */
  'tickets.reply',
  /** Announcements and public pages. */
  'content.write',
  /** Panel settings (name, sign-up, security policies). */
  'settings.write',
  /** The audit log. */
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
