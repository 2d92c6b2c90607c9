import { setUserRateLimitPerMinute } from '../../app/users/set-user-rate-limit.js';
import { ok } from '../../domain/errors.js';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../app/admin/list-audit.js';
import { readDashboard } from '../../app/admin/read-dashboard.js';
import { createService } from '../../app/catalog/create-service.js';
import { listAdminCatalog } from '../../app/catalog/list-admin-catalog.js';
import { reorderCatalog } from '../../app/catalog/reorder-catalog.js';
import { repriceServices } from '../../app/catalog/reprice-services.js';
import type { ServiceDraft } from '../../app/catalog/service-draft.js';
import { setServicesEnabled } from '../../app/catalog/set-services-enabled.js';
import { setUserRate } from '../../app/catalog/set-user-rate.js';
import { updateService } from '../../app/catalog/update-service.js';
import { addFunds } from '../../app/funds/add-funds.js';
import { listLedger } from '../../app/funds/list-ledger.js';
import { listOrderPage } from '../../app/orders/list-order-page.js';
import { type Resolution, resolveReview } from '../../app/dispatch/resolve-review.js';
import { showOrder } from '../../app/orders/show-order.js';
import { updateOrderStatus } from '../../app/orders/update-order-status.js';
import { addProvider } from '../../app/providers/add-provider.js';
import { importProviderServices } from '../../app/providers/import-provider-services.js';
import { listProviders } from '../../app/providers/list-providers.js';
import { providerBalance } from '../../app/providers/provider-balance.js';
import { syncProviderServices } from '../../app/providers/sync-provider-services.js';
import { listRefillPage } from '../../app/refills/list-refill-page.js';
import { updateRefillStatus } from '../../app/refills/update-refill-status.js';
import { readPanelSettings, updatePanelSettings } from '../../app/settings/panel-settings.js';
import { recordPost } from '../../app/subscriptions/record-post.js';
import { listUsers } from '../../app/users/list-users.js';
import { setUserStatus } from '../../app/users/set-user-status.js';
import { parseFixedMarkup, parseMarkupPercent } from '../../domain/markup.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import type { Panel } from '../../panel.js';
import { findUserById } from '../../store/users.js';
import {
  type IdParams,
  type PageQuery,
  bulkEnableBody,
  fundsBody,
  idParams,
  importBody,
  orderStatusBody,
  pageQuery,
  postBody,
  providerBody,
  rateBody,
  rateLimitBody,
  reorderBody,
  repriceBody,
  resolutionBody,
  serviceBody,
  serviceChangesBody,
  settingsBody,
  statusBody,
} from './schemas.js';
import { sessionOf } from './web-access.js';
import { sendFailure, sendResult } from './web-reply.js';

const SERVICE_DEFAULTS = {
  refill: false,
  refillDays: 30,
  cancel: false,
  dripfeed: false,
  allowDuplicateLinks: true,
  description: '',
  enabled: true,
};

/** The admin area: every route here is refused (403) to customers by the access hook. */
export function registerAdminRoutes(web: FastifyInstance, panel: Panel): void {
  const admin = { config: { access: 'admin' as const } };
  // Every admin action is recorded in the audit log as done by this admin (user:<id>).
  const ctxOf = (request: Parameters<typeof sessionOf>[0]) =>
    panel.contextFor({ userId: sessionOf(request).userId });
  const username = async (id: number) => (await findUserById(panel.ctx.db, id))?.username;

  web.get('/admin/dashboard', admin, async (request) => readDashboard(ctxOf(request)));

  // Users: search, balance adjustments with a memo, custom rates, suspension.
  web.get<{ Querystring: PageQuery }>(
    '/admin/users',
    { ...admin, schema: { querystring: pageQuery } },
    async (request, reply) =>
      sendResult(
        reply,
        await listUsers(ctxOf(request), { search: request.query.q, page: request.query.page }),
      ),
  );

  web.get<{ Params: IdParams; Querystring: PageQuery }>(
    '/admin/users/:id/ledger',
    { ...admin, schema: { params: idParams, querystring: pageQuery } },
    async (request, reply) =>
      sendResult(reply, await listLedger(ctxOf(request), request.params.id, request.query.page)),
  );

  web.post<{ Params: IdParams; Body: { amount: string; memo: string } }>(
    '/admin/users/:id/funds',
    { ...admin, schema: { params: idParams, body: fundsBody } },
    async (request, reply) => {
      const name = await username(request.params.id);
      if (name === undefined)
        return sendFailure(reply, { code: 'USER_NOT_FOUND', username: `#${request.params.id}` });
      const amount = parseMoney(request.body.amount);
      if (amount === null) {
        return sendFailure(reply, {
          code: 'INVALID_INPUT',
          field: 'amount',
          reason: 'an amount with up to 5 decimals, e.g. 25 or -3.5',
        });
      }
      const result = await addFunds(ctxOf(request), {
        username: name,
        amount,
        memo: request.body.memo.trim(),
      });
      return sendResult(reply, result, (value) => ({ balance: formatMoney(value.balance) }));
    },
  );

  web.post<{ Params: IdParams; Body: { service: number; rate: string | null } }>(
    '/admin/users/:id/rates',
    { ...admin, schema: { params: idParams, body: rateBody } },
    async (request, reply) => {
      const name = await username(request.params.id);
      if (name === undefined)
        return sendFailure(reply, { code: 'USER_NOT_FOUND', username: `#${request.params.id}` });
      const rate = request.body.rate === null || request.body.rate.trim() === '' ? null : request.body.rate;
      return sendResult(
        reply,
        await setUserRate(ctxOf(request), { username: name, serviceId: request.body.service, rate }),
      );
    },
  );

  web.post<{ Params: IdParams; Body: { perMinute: number | null } }>(
    '/admin/users/:id/rate-limit',
    { ...admin, schema: { params: idParams, body: rateLimitBody } },
    async (request, reply) =>
      sendResult(
        reply,
        await setUserRateLimitPerMinute(ctxOf(request), {
          user: { id: request.params.id },
          perMinute: request.body.perMinute,
        }),
      ),
  );

  web.post<{ Params: IdParams; Body: { status: string } }>(
    '/admin/users/:id/status',
    { ...admin, schema: { params: idParams, body: statusBody } },
    async (request, reply) =>
      sendResult(
        reply,
        await setUserStatus(ctxOf(request), { userId: request.params.id, status: request.body.status }),
      ),
  );

  // Catalogue.
  web.get('/admin/catalog', admin, async (request) => listAdminCatalog(ctxOf(request)));

  web.post<{
    Body: Partial<ServiceDraft> & Pick<ServiceDraft, 'name' | 'type' | 'category' | 'rate' | 'min' | 'max'>;
  }>('/admin/services', { ...admin, schema: { body: serviceBody } }, async (request, reply) =>
    sendResult(reply, await createService(ctxOf(request), { ...SERVICE_DEFAULTS, ...request.body })),
  );

  web.patch<{ Params: IdParams; Body: Partial<ServiceDraft> }>(
    '/admin/services/:id',
    { ...admin, schema: { params: idParams, body: serviceChangesBody } },
    async (request, reply) =>
      sendResult(reply, await updateService(ctxOf(request), request.params.id, request.body)),
  );

  web.post<{ Body: { ids: number[]; enabled: boolean } }>(
    '/admin/services/bulk',
    { ...admin, schema: { body: bulkEnableBody } },
    async (request, reply) => sendResult(reply, await setServicesEnabled(ctxOf(request), request.body)),
  );

  web.post<{ Body: { what: 'categories' | 'services'; ids: number[] } }>(
    '/admin/catalog/reorder',
    { ...admin, schema: { body: reorderBody } },
    async (request, reply) => sendResult(reply, await reorderCatalog(ctxOf(request), request.body)),
  );

  web.post<{ Body: { ids: number[]; markup: string; fixed?: string } }>(
    '/admin/services/markup',
    { ...admin, schema: { body: repriceBody } },
    async (request, reply) => {
      const percent = parseMarkupPercent(request.body.markup);
      if (percent === null) {
        return sendFailure(reply, {
          code: 'INVALID_INPUT',
          field: 'markup',
          reason: 'a percentage, e.g. 25%',
        });
      }
      const fixedText = request.body.fixed?.trim() ?? '';
      const fixed = fixedText === '' ? 0n : parseFixedMarkup(fixedText);
      if (fixed === null) {
        return sendFailure(reply, {
          code: 'INVALID_INPUT',
          field: 'fixed',
          reason: 'a non-negative amount with up to 5 decimals',
        });
      }
      const markup = { percentHundredths: percent, fixed };
      return sendResult(reply, await repriceServices(ctxOf(request), { ids: request.body.ids, markup }));
    },
  );

  // Providers.
  web.get('/admin/providers', admin, async (request) => ({ providers: await listProviders(ctxOf(request)) }));

  web.post<{ Body: { name: string; url: string; apiKey: string } }>(
    '/admin/providers',
    { ...admin, schema: { body: providerBody } },
    async (request, reply) => sendResult(reply, await addProvider(ctxOf(request), request.body)),
  );

  web.post<{ Params: IdParams; Body: { markup?: string; fixed?: string; categoryPrefix?: string } }>(
    '/admin/providers/:id/import',
    { ...admin, schema: { params: idParams, body: importBody } },
    async (request, reply) => {
      const { markup, fixed, categoryPrefix } = request.body;
      const percent = markup === undefined || markup.trim() === '' ? undefined : parseMarkupPercent(markup);
      if (percent === null)
        return sendFailure(reply, {
          code: 'INVALID_INPUT',
          field: 'markup',
          reason: 'a percentage, e.g. 25%',
        });
      const fixedAmount = fixed === undefined || fixed.trim() === '' ? undefined : parseFixedMarkup(fixed);
      if (fixedAmount === null) {
        return sendFailure(reply, {
          code: 'INVALID_INPUT',
          field: 'fixed',
          reason: 'a non-negative amount with up to 5 decimals',
        });
      }
      const result = await importProviderServices(ctxOf(request), {
        providerId: request.params.id,
        markup: {
          ...(percent === undefined ? {} : { percentHundredths: percent }),
          ...(fixedAmount === undefined ? {} : { fixed: fixedAmount }),
        },
        categoryPrefix,
      });
      return sendResult(reply, result);
    },
  );

  web.post<{ Params: IdParams }>(
    '/admin/providers/:id/sync',
    { ...admin, schema: { params: idParams } },
    async (request, reply) =>
      sendResult(reply, await syncProviderServices(ctxOf(request), request.params.id)),
  );

  web.post<{ Params: IdParams }>(
    '/admin/providers/:id/balance',
    { ...admin, schema: { params: idParams } },
    async (request, reply) => sendResult(reply, await providerBalance(ctxOf(request), request.params.id)),
  );

  // Orders, the dispatch review list, refills, subscriptions.
  web.get<{ Querystring: PageQuery }>(
    '/admin/orders',
    { ...admin, schema: { querystring: pageQuery } },
    async (request, reply) => {
      const { page, status, q, kind, review } = request.query;
      return sendResult(
        reply,
        await listOrderPage(ctxOf(request), { page, status, search: q, kind, review }),
      );
    },
  );

  web.get<{ Params: IdParams }>(
    '/admin/orders/:id',
    { ...admin, schema: { params: idParams } },
    async (request, reply) => sendResult(reply, await showOrder(ctxOf(request), request.params.id)),
  );

  web.post<{ Params: IdParams; Body: { status: string; startCount?: number; remains?: number } }>(
    '/admin/orders/:id/status',
    { ...admin, schema: { params: idParams, body: orderStatusBody } },
    async (request, reply) =>
      sendResult(
        reply,
        await updateOrderStatus(ctxOf(request), { orderId: request.params.id, ...request.body }),
      ),
  );

  web.post<{ Params: IdParams; Body: { resolution: WebResolution; providerOrderId?: string } }>(
    '/admin/orders/:id/resolve',
    { ...admin, schema: { params: idParams, body: resolutionBody } },
    async (request, reply) => {
      const { resolution, providerOrderId } = request.body;
      const result = await resolveReview(
        ctxOf(request),
        request.params.id,
        reviewResolution(resolution, providerOrderId),
      );
      return sendResult(reply, result.ok ? ok({ id: request.params.id, resolution }) : result);
    },
  );

  web.post<{ Params: IdParams; Body: { quantity?: number } }>(
    '/admin/subscriptions/:id/post',
    { ...admin, schema: { params: idParams, body: postBody } },
    async (request, reply) =>
      sendResult(
        reply,
        await recordPost(ctxOf(request), {
          subscriptionId: request.params.id,
          quantity: request.body.quantity,
        }),
      ),
  );

  web.get<{ Querystring: PageQuery }>(
    '/admin/refills',
    { ...admin, schema: { querystring: pageQuery } },
    async (request, reply) =>
      sendResult(
        reply,
        await listRefillPage(ctxOf(request), { page: request.query.page, status: request.query.status }),
      ),
  );

  web.post<{ Params: IdParams; Body: { status: string } }>(
    '/admin/refills/:id/status',
    { ...admin, schema: { params: idParams, body: statusBody } },
    async (request, reply) =>
      sendResult(
        reply,
        await updateRefillStatus(ctxOf(request), {
          refillId: request.params.id,
          status: request.body.status,
        }),
      ),
  );

  // Audit log and settings.
  web.get<{ Querystring: PageQuery }>(
    '/admin/audit',
    { ...admin, schema: { querystring: pageQuery } },
    async (request, reply) => sendResult(reply, await listAudit(ctxOf(request), request.query.page)),
  );

  web.get('/admin/settings', admin, async (request) => readPanelSettings(ctxOf(request)));

  web.put<{ Body: { panelName: string; currency: string } }>(
    '/admin/settings',
    { ...admin, schema: { body: settingsBody } },
    async (request, reply) => sendResult(reply, await updatePanelSettings(ctxOf(request), request.body)),
  );
}

/** The admin's buttons: send again, fulfil by hand, cancel and refund, or link the provider's order. */
type WebResolution = 'retry' | 'manual' | 'cancel' | 'link';

function reviewResolution(resolution: WebResolution, providerOrderId: string | undefined): Resolution {
  switch (resolution) {
    case 'retry':
      return { kind: 'resend' };
    case 'manual':
      return { kind: 'manual' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'link':
      return { kind: 'link', providerOrderId: providerOrderId ?? '' };
  }
}
