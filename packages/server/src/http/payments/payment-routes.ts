import type { FastifyInstance } from 'fastify';
import { applyGatewayEvent } from '../../app/payments/apply-gateway-event.js';
import { findGatewayOfMethod } from '../../app/payments/gateway-of-method.js';
import { InvalidNotification } from '../../payments/gateway.js';
import type { Panel } from '../../panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';

function methodIdOf(text: string): number | null {
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : null;
}

/**
 * What gateways call, outside the web API (no session, no CSRF: the gateway's signature over the
 * raw body is the authentication): `POST /payments/webhook/:methodId`, and the page the customer's
 * browser returns to, `GET /payments/return/:methodId`, which lands them on their Funds page.
 */
export function registerPaymentGatewayRoutes(app: FastifyInstance, panel: Panel): void {
  void app.register((scope, _options, done) => {
    // Every body raw, whatever its type: the signature is over the exact bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, next) => next(null, body));

    scope.post<{ Params: { methodId: string } }>('/payments/webhook/:methodId', async (request, reply) => {
      const reject = (status: number, error: string) =>
        reply.code(status).header('content-type', JSON_TYPE).send(JSON.stringify({ error }));
      const methodId = methodIdOf(request.params.methodId);
      const found = methodId === null ? null : await findGatewayOfMethod(panel.ctx, methodId);
      if (found === null) return reject(404, 'No such payment method');
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let event;
      try {
        event = await found.gateway.readNotification({ headers: request.headers, rawBody });
      } catch (error) {
        if (error instanceof InvalidNotification)
          return reject(400, `Invalid notification: ${error.message}`);
        throw error;
      }
      const outcome = await applyGatewayEvent(panel.ctx, found.method, event);
      request.log.info(
        { methodId, kind: event.kind, eventId: event.eventId, outcome },
        'payment notification',
      );
      return reply.header('content-type', JSON_TYPE).send(JSON.stringify({ received: true }));
    });

    scope.get<{ Params: { methodId: string }; Querystring: Record<string, string> }>(
      '/payments/return/:methodId',
      async (request, reply) => {
        const query: Record<string, string> = {};
        for (const [key, value] of Object.entries(request.query ?? {}))
          if (typeof value === 'string') query[key] = value;
        const depositId = methodIdOf(query.deposit ?? '');
        const target = depositId === null ? '/funds' : `/funds?deposit=${depositId}`;
        const methodId = methodIdOf(request.params.methodId);
        const found = methodId === null ? null : await findGatewayOfMethod(panel.ctx, methodId);
        if (found !== null) {
          try {
            const event = await found.gateway.confirmReturn(query);
            if (event !== null) await applyGatewayEvent(panel.ctx, found.method, event);
          } catch (error) {
            // The webhook remains the path that settles the deposit: the customer still lands on Funds.
            request.log.warn({ err: error, methodId }, 'payment return could not be confirmed');
          }
        }
        return reply.redirect(target, 303);
      },
    );
    done();
  });
}
