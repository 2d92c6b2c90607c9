import type { Panel } from '../../../panel.js';
import type { WebApp } from '../web-app.js';
import { registerAuditRoutes } from './audit.js';
import { registerCatalogRoutes } from './catalog.js';
import { registerDashboardRoutes } from './dashboard.js';
import { registerOrderRoutes } from './orders.js';
import { registerPaymentRoutes } from './payments.js';
import { registerProviderRoutes } from './providers.js';
import { registerRefillRoutes } from './refills.js';
import { registerSettingsRoutes } from './settings.js';
import { registerBrandingRoutes } from './branding.js';
import { registerSecurityRoutes } from './security.js';
import { registerSubscriptionRoutes } from './subscriptions.js';
import { registerTicketRoutes } from './tickets.js';
import { registerUserRoutes } from './users.js';
import { registerFailoverRoutes } from './failover.js';
import { registerAffiliateRoutes } from './affiliates.js';
import { registerDeliveryRoutes } from './delivery.js';
import { registerCurrencyRoutes } from './currencies.js';
import { registerPublicPageRoutes } from './public-pages.js';

/** The admin area: every route here is refused (403) to customers by the access hook. */
export function registerAdminRoutes(web: WebApp, panel: Panel): void {
  registerDashboardRoutes(web, panel);
  registerUserRoutes(web, panel);
  registerCatalogRoutes(web, panel);
  registerProviderRoutes(web, panel);
  registerOrderRoutes(web, panel);
  registerSubscriptionRoutes(web, panel);
  registerRefillRoutes(web, panel);
  registerAuditRoutes(web, panel);
  registerSettingsRoutes(web, panel);
  registerBrandingRoutes(web, panel);
  registerPaymentRoutes(web, panel);
  registerSecurityRoutes(web, panel);
  registerFailoverRoutes(web, panel);
  registerCurrencyRoutes(web, panel);
  registerTicketRoutes(web, panel);
  registerAffiliateRoutes(web, panel);
  registerDeliveryRoutes(web, panel);
  registerPublicPageRoutes(web, panel);
}
