/**
 * The web panel's JSON API under /web-api: every request and answer defined once, as TypeBox
 * schemas (plain JSON Schema) with their static types. The server validates requests and serialises
 * answers with these schemas; the web app imports their types only (`import type`).
 */
import type * as adminCatalog from './admin/catalog.js';
import type * as adminDashboard from './admin/dashboard.js';
import type * as adminOrders from './admin/orders.js';
import type * as adminProviders from './admin/providers.js';
import type * as adminRefills from './admin/refills.js';
import type * as adminSettings from './admin/settings.js';
import type * as adminSecurity from './admin/security.js';
import type * as adminBranding from './admin/branding.js';
import type * as challenge from './challenge.js';
import type * as twoFactor from './two-factor.js';
import type * as adminSubscriptions from './admin/subscriptions.js';
import type * as impersonation from './impersonation.js';
import type * as adminAudit from './admin/audit.js';
import type * as adminUsers from './admin/users.js';
import type * as adminPayments from './admin/payments.js';
import type * as payments from './payments.js';
import type * as adminFailover from './admin/failover.js';
import type * as adminCurrencies from './admin/currencies.js';
import type * as apiDocs from './api-docs.js';
import type * as apiKeys from './api-keys.js';
import type * as catalog from './catalog.js';
import type { Endpoint } from './endpoint.js';
import type * as funds from './funds.js';
import type * as orders from './orders.js';
import type * as refills from './refills.js';
import type * as session from './session.js';
import type * as webhooks from './webhooks.js';
import type * as accounts from './accounts.js';
import type * as tickets from './tickets.js';
import type * as announcements from './announcements.js';
import type * as affiliates from './affiliates.js';
import type * as adminAffiliates from './admin/affiliates.js';
import type * as serviceUpdates from './service-updates.js';
import type * as adminDelivery from './admin/delivery.js';
import type * as adminTokens from './admin-api/tokens.js';
import type * as adminPublicPages from './admin/public-pages.js';

export * from './endpoint.js';
export * from './primitives.js';
export * from './request-params.js';
export { CustomerOrderRecord, OrderRecord, ProviderCost } from './order-fields.js';
export * from './permissions.js';
export * from './languages.js';
export * from './session.js';
export * from './orders.js';
export * from './catalog.js';
export * from './funds.js';
export * from './refills.js';
export * from './api-keys.js';
export * from './api-docs.js';
export * from './admin/dashboard.js';
export * from './admin/users.js';
export * from './admin/catalog.js';
export * from './admin/providers.js';
export * from './admin/orders.js';
export * from './admin/refills.js';
export * from './admin/subscriptions.js';
export * from './admin/audit.js';
export * from './admin/settings.js';
export * from './payments.js';
export * from './admin/payments.js';
export * from './impersonation.js';
export * from './admin/security.js';
export * from './admin/branding.js';
export * from './challenge.js';
export * from './two-factor.js';
export * from './admin/failover.js';
export * from './admin/currencies.js';
export * from './webhooks.js';
export * from './accounts.js';
export * from './tickets.js';
export * from './announcements.js';
export * from './affiliates.js';
export * from './admin/affiliates.js';
export * from './service-updates.js';
export * from './admin/delivery.js';
export * from './admin-api/tokens.js';
export * from './admin/public-pages.js';

type EndpointsOf<Module> = Module extends unknown ? Extract<Module[keyof Module], Endpoint> : never;

/** Every endpoint of the web API. */
export type WebEndpoint = EndpointsOf<
  | typeof session
  | typeof orders
  | typeof catalog
  | typeof funds
  | typeof refills
  | typeof apiKeys
  | typeof apiDocs
  | typeof adminDashboard
  | typeof adminUsers
  | typeof adminCatalog
  | typeof adminProviders
  | typeof adminOrders
  | typeof adminRefills
  | typeof adminSubscriptions
  | typeof adminAudit
  | typeof adminSettings
  | typeof payments
  | typeof adminPayments
  | typeof impersonation
  | typeof adminSecurity
  | typeof adminBranding
  | typeof challenge
  | typeof twoFactor
  | typeof adminFailover
  | typeof adminCurrencies
  | typeof webhooks
  | typeof accounts
  | typeof tickets
  | typeof announcements
  | typeof affiliates
  | typeof adminAffiliates
  | typeof serviceUpdates
  | typeof adminDelivery
  | typeof adminTokens
  | typeof adminPublicPages
>;
