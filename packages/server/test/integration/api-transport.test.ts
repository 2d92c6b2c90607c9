import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TestPanel, type TestUser, type Transport } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const MIB = 1024 * 1024;
const TRANSPORTS: readonly Transport[] = ['form', 'multipart', 'json', 'get'];

const countOrdersOf = sql('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?');
const countLedgerOf = sql('SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ?');

interface RawResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

/**
 * One request with full control over the wire: method, path (with its query string), headers and
 * body bytes. Without `content-length` in `headers` a body is sent chunked. No header is added
 * that the caller did not ask for (no content-type in particular).
 */
function raw(
  panel: TestPanel,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const url = new URL(options.path ?? '/api/v2', panel.baseUrl);
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          settled = true;
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (error) => {
          if (!settled) reject(error);
        });
      },
    );
    // The server may answer (413) and close before it has read the whole body: only a failure
    // before the answer arrived is an error.
    req.on('error', (error) => {
      if (!settled) reject(error);
    });
    if (options.body === undefined) req.end();
    else req.end(options.body);
  });
}

/** A request with an explicit content length (what fetch, curl and PHP send). */
function withLength(headers: Record<string, string>, body: string | Buffer): Record<string, string> {
  return { ...headers, 'content-length': String(Buffer.byteLength(body)) };
}

function form(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
}

function statusText(charge: string, startCount: string, status: string, remains: string): string {
  return `{"charge":"${charge}","start_count":"${startCount}","status":"${status}","remains":"${remains}","currency":"USD"}`;
}

const INCORRECT_REQUEST = '{"error":"Incorrect request"}';
const NOT_FOUND = '{"error":"Not found"}';
const TOO_LARGE = '{"error":"Request body is too large"}';

describe('API v2 transport', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  async function balanceText(user: TestUser): Promise<string> {
    const response = await panel.api({ key: user.apiKey, action: 'balance' });
    return response.text;
  }

  async function countOf(statement: typeof countOrdersOf, user: TestUser): Promise<number> {
    const row = await panel.db.get<{ n: bigint }>(statement, [user.id]);
    return Number(row!.n);
  }

  /** Places a 1000-unit order at 0.90 and answers its id. */
  async function placeOrder(
    user: TestUser,
    service: number,
    link = 'https://example.com/p/1',
  ): Promise<number> {
    const add = await panel.api({ key: user.apiKey, action: 'add', service, link, quantity: 1000 });
    expect(add.text).toMatch(/^\{"order":\d+\}$/);
    return add.json.order as number;
  }

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it('answers balance, add and status (single and multi) exactly', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '0.90' });

      const before = await panel.api({ key: user.apiKey, action: 'balance' }, { transport });
      expect(before.status).toBe(200);
      expect(before.contentType).toBe(JSON_TYPE);
      expect(before.text).toBe('{"balance":"10.00000","currency":"USD"}');

      const add = await panel.api(
        { key: user.apiKey, action: 'add', service, link: 'https://example.com/a', quantity: 1000 },
        { transport },
      );
      expect(add.status).toBe(200);
      expect(add.contentType).toBe(JSON_TYPE);
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      const order = add.json.order as number;

      const single = await panel.api({ key: user.apiKey, action: 'status', order }, { transport });
      expect(single.status).toBe(200);
      expect(single.contentType).toBe(JSON_TYPE);
      expect(single.text).toBe(statusText('0.90000', '0', 'Pending', '1000'));

      const multi = await panel.api(
        { key: user.apiKey, action: 'status', orders: `${order},0` },
        { transport },
      );
      expect(multi.contentType).toBe(JSON_TYPE);
      expect(multi.text).toBe(
        `{"${order}":${statusText('0.90000', '0', 'Pending', '1000')},"0":{"error":"Incorrect order ID"}}`,
      );

      const after = await panel.api({ key: user.apiKey, action: 'balance' }, { transport });
      expect(after.text).toBe('{"balance":"9.10000","currency":"USD"}');
    });

    it('answers an unknown action with Incorrect request', async () => {
      const user = await panel.customer('1');
      const response = await panel.api({ key: user.apiKey, action: 'nope' }, { transport });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(INCORRECT_REQUEST);
    });
  });

  describe('JSON bodies', () => {
    it('accepts numbers where strings are expected, and arrays of ids', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ rate: '2' });
      const addBody = JSON.stringify({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.test/j',
        quantity: 500,
      });
      const add = await raw(panel, {
        headers: withLength({ 'content-type': 'application/json' }, addBody),
        body: addBody,
      });
      expect(add.status).toBe(200);
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      const order = (JSON.parse(add.text) as { order: number }).order;

      const statusBody = JSON.stringify({ key: user.apiKey, action: 'status', order });
      const status = await raw(panel, {
        headers: withLength({ 'content-type': 'application/json; charset=utf-8' }, statusBody),
        body: statusBody,
      });
      expect(status.text).toBe(statusText('1.00000', '0', 'Pending', '500'));

      const multiBody = JSON.stringify({ key: user.apiKey, action: 'status', orders: [order, 999_999_999] });
      const multi = await raw(panel, {
        headers: withLength({ 'content-type': 'application/json' }, multiBody),
        body: multiBody,
      });
      expect(multi.text).toBe(
        `{"${order}":${statusText('1.00000', '0', 'Pending', '500')},"999999999":{"error":"Incorrect order ID"}}`,
      );
      expect(await balanceText(user)).toBe('{"balance":"9.00000","currency":"USD"}');
    });

    it.each([
      ['malformed JSON', (key: string) => `{"key":"${key}","action":"balance"`],
      ['a JSON array', (key: string) => JSON.stringify([{ key, action: 'balance' }])],
      ['a JSON string', () => JSON.stringify('balance')],
      ['JSON null', () => 'null'],
      ['a nested object value', (key: string) => JSON.stringify({ key, action: 'balance', extra: { a: 1 } })],
      [
        'a nested array value',
        (key: string) => JSON.stringify({ key, action: 'status', orders: [[1], [2]] }),
      ],
      [
        'an object inside an array',
        (key: string) => JSON.stringify({ key, action: 'status', orders: [{ id: 1 }] }),
      ],
      ['a boolean value', (key: string) => JSON.stringify({ key, action: 'balance', flag: true })],
    ])('answers %s with 200 Incorrect request', async (_name, makeBody) => {
      const user = await panel.customer('5');
      const body = makeBody(user.apiKey);
      // The key and action in the query string do not rescue a body that cannot be read.
      const response = await raw(panel, {
        path: `/api/v2?${form({ key: user.apiKey, action: 'balance' })}`,
        headers: withLength({ 'content-type': 'application/json' }, body),
        body,
      });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(INCORRECT_REQUEST);
    });

    it('changes nothing when an add carries a nested object', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const body = JSON.stringify({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.test/nested',
        quantity: 1000,
        meta: { note: 'x' },
      });
      const response = await raw(panel, {
        headers: withLength({ 'content-type': 'application/json' }, body),
        body,
      });
      expect(response.status).toBe(200);
      expect(response.text).toBe(INCORRECT_REQUEST);
      expect(await countOf(countOrdersOf, user)).toBe(0);
      expect(await balanceText(user)).toBe('{"balance":"10.00000","currency":"USD"}');
    });
  });

  describe('query string merged into a POST body', () => {
    it('uses query-string parameters when the body has none', async () => {
      const user = await panel.customer('3');
      const response = await raw(panel, {
        path: `/api/v2?${form({ key: user.apiKey, action: 'balance' })}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' },
        body: '',
      });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe('{"balance":"3.00000","currency":"USD"}');
    });

    it('merges query and form body, the body winning', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const order = await placeOrder(user, service);
      // key and order come from the query alone; action is in both and the body's wins.
      const body = form({ action: 'status' });
      const merged = await raw(panel, {
        path: `/api/v2?${form({ key: user.apiKey, action: 'balance', order })}`,
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect(merged.text).toBe(statusText('0.90000', '0', 'Pending', '1000'));

      // A wrong key in the query is overridden by the right one in the body…
      const rightBody = form({ key: user.apiKey, action: 'balance' });
      const overridden = await raw(panel, {
        path: `/api/v2?${form({ key: 'wrong-key', action: 'services' })}`,
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, rightBody),
        body: rightBody,
      });
      expect(overridden.text).toBe('{"balance":"9.10000","currency":"USD"}');

      // …and a right key in the query is overridden by a wrong (even empty) one in the body.
      for (const bodyKey of ['wrong-key', '']) {
        const wrongBody = form({ key: bodyKey, action: 'balance' });
        const refused = await raw(panel, {
          path: `/api/v2?${form({ key: user.apiKey, action: 'balance' })}`,
          headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, wrongBody),
          body: wrongBody,
        });
        expect(refused.text).toBe('{"error":"Invalid API key"}');
      }

      // The body's order id wins over the query's.
      const orderBody = form({ key: user.apiKey, action: 'status', order: 999_999_999 });
      const bodyOrder = await raw(panel, {
        path: `/api/v2?${form({ order })}`,
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, orderBody),
        body: orderBody,
      });
      expect(bodyOrder.text).toBe('{"error":"Incorrect order ID"}');
    });

    it('merges query and JSON body, the body winning', async () => {
      const user = await panel.customer('4');
      const body = JSON.stringify({ key: user.apiKey, action: 'balance' });
      const response = await raw(panel, {
        path: `/api/v2?${form({ key: 'wrong-key', action: 'status', order: 1 })}`,
        headers: withLength({ 'content-type': 'application/json' }, body),
        body,
      });
      expect(response.text).toBe('{"balance":"4.00000","currency":"USD"}');

      const keyless = JSON.stringify({ action: 'balance' });
      const fromQuery = await raw(panel, {
        path: `/api/v2?${form({ key: user.apiKey, action: 'services' })}`,
        headers: withLength({ 'content-type': 'application/json' }, keyless),
        body: keyless,
      });
      expect(fromQuery.text).toBe('{"balance":"4.00000","currency":"USD"}');
    });

    it('merges query and multipart body, the body winning', async () => {
      const user = await panel.customer('6');
      const data = new FormData();
      data.append('key', user.apiKey);
      data.append('action', 'balance');
      const response = await fetch(`${panel.apiUrl}?${form({ key: 'wrong-key', action: 'services' })}`, {
        method: 'POST',
        body: data,
      });
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      expect(await response.text()).toBe('{"balance":"6.00000","currency":"USD"}');

      const keyless = new FormData();
      keyless.append('action', 'balance');
      const fromQuery = await fetch(`${panel.apiUrl}?${form({ key: user.apiKey, action: 'services' })}`, {
        method: 'POST',
        body: keyless,
      });
      expect(await fromQuery.text()).toBe('{"balance":"6.00000","currency":"USD"}');
    });
  });

  describe('array parameters', () => {
    async function twoOrders(): Promise<{ user: TestUser; first: number; second: number; expected: string }> {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const first = await placeOrder(user, service, 'https://x.test/1');
      const second = await placeOrder(user, service, 'https://x.test/2');
      const pending = statusText('0.90000', '0', 'Pending', '1000');
      // Larger id first: the answer follows the request, not numeric key order.
      return { user, first, second, expected: `{"${second}":${pending},"${first}":${pending}}` };
    }

    it('reads orders[]=…&orders[]=… in a form body', async () => {
      const { user, first, second, expected } = await twoOrders();
      const body = `key=${user.apiKey}&action=status&orders%5B%5D=${second}&orders[]=${first}`;
      const response = await raw(panel, {
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect(response.text).toBe(expected);
    });

    it('reads orders[]=…&orders[]=… in a GET query string', async () => {
      const { user, first, second, expected } = await twoOrders();
      const response = await raw(panel, {
        method: 'GET',
        path: `/api/v2?key=${user.apiKey}&action=status&orders[]=${second}&orders%5B%5D=${first}`,
      });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(expected);
    });

    it('reads orders[] fields in a multipart body', async () => {
      const { user, first, second, expected } = await twoOrders();
      const data = new FormData();
      data.append('key', user.apiKey);
      data.append('action', 'status');
      data.append('orders[]', String(second));
      data.append('orders[]', String(first));
      const response = await fetch(panel.apiUrl, { method: 'POST', body: data });
      expect(await response.text()).toBe(expected);
    });

    it('refuses a NUL in a multipart orders[] field as a malformed request, and keeps serving', async () => {
      const { user, first, second, expected } = await twoOrders();
      const statuses = (last: string) => {
        const data = new FormData();
        data.append('key', user.apiKey);
        data.append('action', 'status');
        data.append('orders[]', String(second));
        data.append('orders[]', last);
        return fetch(panel.apiUrl, { method: 'POST', body: data });
      };
      const refused = await statuses(`${first}\0`);
      expect([refused.status, await refused.text()]).toEqual([200, '{"error":"Incorrect request"}']);
      expect(await (await statuses(String(first))).text()).toBe(expected);
    });

    it('reads a JSON array of ids, numbers or strings', async () => {
      const { user, first, second, expected } = await twoOrders();
      for (const orders of [
        [second, first],
        [String(second), String(first)],
      ]) {
        const body = JSON.stringify({ key: user.apiKey, action: 'status', orders });
        const response = await raw(panel, {
          headers: withLength({ 'content-type': 'application/json' }, body),
          body,
        });
        expect(response.text).toBe(expected);
      }
    });

    it('reads a single orders[] entry', async () => {
      const { user, first } = await twoOrders();
      const body = `key=${user.apiKey}&action=status&orders[]=${first}`;
      const response = await raw(panel, {
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect(response.text).toBe(`{"${first}":${statusText('0.90000', '0', 'Pending', '1000')}}`);
    });

    it('joins comments[] lines into one comment list', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService({ type: 'Custom Comments', rate: '1000', min: 1, max: 100 });
      const body = `key=${user.apiKey}&action=add&service=${service}&link=https://x.test/c&comments[]=nice&comments[]=great&comments[]=wow`;
      const add = await raw(panel, {
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      const order = (JSON.parse(add.text) as { order: number }).order;
      const status = await panel.api({ key: user.apiKey, action: 'status', order });
      // Three comments: quantity 3 at 1000 per 1000.
      expect(status.text).toBe(statusText('3.00000', '0', 'Pending', '3'));
      expect(await balanceText(user)).toBe('{"balance":"7.00000","currency":"USD"}');
    });
  });

  describe('content types', () => {
    it('reads a POST without a content type as a form', async () => {
      const user = await panel.customer('7');
      const body = form({ key: user.apiKey, action: 'balance' });
      const response = await raw(panel, { headers: withLength({}, body), body });
      expect(response.status).toBe(200);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe('{"balance":"7.00000","currency":"USD"}');
    });

    it('ignores a multipart field with an empty name (was a 500)', async () => {
      const user = await panel.customer('9');
      const data = new FormData();
      data.append('', 'nameless');
      data.append('key', user.apiKey);
      data.append('', 'again');
      data.append('action', 'balance');
      const response = await fetch(panel.apiUrl, { method: 'POST', body: data });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      expect(await response.text()).toBe('{"balance":"9.00000","currency":"USD"}');

      const boundary = 'b0undary';
      const handmade = [
        `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nno name at all\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${user.apiKey}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nbalance\r\n`,
        `--${boundary}--\r\n`,
      ].join('');
      const handmadeResponse = await raw(panel, {
        headers: withLength({ 'content-type': `multipart/form-data; boundary=${boundary}` }, handmade),
        body: handmade,
      });
      expect([handmadeResponse.status, handmadeResponse.contentType, handmadeResponse.text]).toEqual([
        200,
        JSON_TYPE,
        '{"balance":"9.00000","currency":"USD"}',
      ]);
    });

    it.each(TRANSPORTS)(
      'refuses a NUL in any parameter over %s as a malformed request, the same on every database (was a 500 on PostgreSQL)',
      async (transport) => {
        const user = await panel.customer('10');
        const service = await panel.createService();
        const nulLink = await panel.api(
          { key: user.apiKey, action: 'add', service, link: 'https://x.test/a\0b', quantity: 1000 },
          { transport },
        );
        expect([nulLink.status, nulLink.contentType, nulLink.text]).toEqual([
          200,
          JSON_TYPE,
          '{"error":"Incorrect request"}',
        ]);
        const nulKey = await panel.api(
          {
            key: user.apiKey,
            action: 'add',
            service,
            link: 'https://x.test/ok',
            quantity: 1000,
            request_id: 'r\0',
          },
          { transport },
        );
        expect([nulKey.status, nulKey.contentType, nulKey.text]).toEqual([
          200,
          JSON_TYPE,
          '{"error":"Incorrect request"}',
        ]);
        expect(await countOf(countOrdersOf, user)).toBe(0);
        expect(await balanceText(user)).toBe('{"balance":"10.00000","currency":"USD"}');
      },
    );

    it('reads a form with a charset parameter', async () => {
      const user = await panel.customer('8');
      const body = form({ key: user.apiKey, action: 'balance' });
      const response = await raw(panel, {
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body),
        body,
      });
      expect(response.text).toBe('{"balance":"8.00000","currency":"USD"}');
    });

    it('answers every kind of outcome as application/json; charset=utf-8', async () => {
      const user = await panel.customer('1');
      const service = await panel.createService();
      const outcomes: RawResponse[] = [
        await raw(panel, { method: 'GET', path: `/api/v2?${form({ key: user.apiKey, action: 'balance' })}` }),
        await raw(panel, {
          method: 'GET',
          path: `/api/v2?${form({ key: user.apiKey, action: 'services' })}`,
        }),
        await raw(panel, {
          method: 'GET',
          path: `/api/v2?${form({ key: user.apiKey, action: 'status', order: 1 })}`,
        }),
        await raw(panel, {
          method: 'GET',
          path: `/api/v2?${form({ key: user.apiKey, action: 'add', service, link: 'https://x.test/f', quantity: 100000 })}`,
        }),
        await raw(panel, { method: 'GET', path: '/api/v2' }),
        await raw(panel, { method: 'GET', path: '/nowhere' }),
        await raw(panel, { headers: withLength({ 'content-type': 'application/json' }, '{'), body: '{' }),
        await raw(panel, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'x'.repeat(MIB + 1),
        }),
      ];
      expect(outcomes.map((r) => [r.status, r.contentType])).toEqual([
        [200, JSON_TYPE],
        [200, JSON_TYPE],
        [200, JSON_TYPE],
        [200, JSON_TYPE],
        [200, JSON_TYPE],
        [404, JSON_TYPE],
        [200, JSON_TYPE],
        [413, JSON_TYPE],
      ]);
      expect(outcomes[3]!.text).toBe('{"error":"Quantity more than maximum 10000"}');
      expect(outcomes[4]!.text).toBe('{"error":"Invalid API key"}');
      for (const outcome of outcomes) expect(() => JSON.parse(outcome.text) as unknown).not.toThrow();
    });
  });

  describe('body size limit', () => {
    /** A form `add` padded with an ignored parameter to exactly `size` bytes. */
    function paddedAdd(user: TestUser, service: number, size: number): string {
      const base = `${form({ key: user.apiKey, action: 'add', service, link: 'https://x.test/big', quantity: 1000 })}&pad=`;
      return base + 'x'.repeat(size - base.length);
    }

    it('refuses a form body over 1 MiB with 413 and changes nothing', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const body = paddedAdd(user, service, MIB + 1);
      expect(Buffer.byteLength(body)).toBe(MIB + 1);
      const response = await raw(panel, {
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect(response.status).toBe(413);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(TOO_LARGE);
      expect(await countOf(countOrdersOf, user)).toBe(0);
      expect(await countOf(countLedgerOf, user)).toBe(1);
      expect(await balanceText(user)).toBe('{"balance":"10.00000","currency":"USD"}');
    });

    it('refuses a chunked body (no content length) over 1 MiB with 413 and changes nothing', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const body = paddedAdd(user, service, 2 * MIB);
      const response = await raw(panel, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(response.status).toBe(413);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(TOO_LARGE);
      expect(await countOf(countOrdersOf, user)).toBe(0);
      expect(await balanceText(user)).toBe('{"balance":"10.00000","currency":"USD"}');
    });

    it('refuses JSON and multipart bodies over 1 MiB with 413', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const json = JSON.stringify({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.test/bigjson',
        quantity: 1000,
        pad: 'y'.repeat(MIB),
      });
      const jsonResponse = await raw(panel, {
        headers: withLength({ 'content-type': 'application/json' }, json),
        body: json,
      });
      expect([jsonResponse.status, jsonResponse.contentType, jsonResponse.text]).toEqual([
        413,
        JSON_TYPE,
        TOO_LARGE,
      ]);

      const data = new FormData();
      for (const [k, v] of Object.entries({
        key: user.apiKey,
        action: 'add',
        service,
        link: 'https://x.test/bigmp',
        quantity: 1000,
      })) {
        data.append(k, String(v));
      }
      data.append('pad', 'z'.repeat(MIB));
      const multipart = await fetch(panel.apiUrl, { method: 'POST', body: data });
      expect([multipart.status, multipart.headers.get('content-type'), await multipart.text()]).toEqual([
        413,
        JSON_TYPE,
        TOO_LARGE,
      ]);
      expect(await countOf(countOrdersOf, user)).toBe(0);
      expect(await balanceText(user)).toBe('{"balance":"10.00000","currency":"USD"}');
    });

    it('accepts a body of exactly 1 MiB', async () => {
      const user = await panel.customer('10');
      const service = await panel.createService();
      const body = paddedAdd(user, service, MIB);
      expect(Buffer.byteLength(body)).toBe(MIB);
      const response = await raw(panel, {
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect(response.status).toBe(200);
      expect(response.text).toMatch(/^\{"order":\d+\}$/);
      expect(await balanceText(user)).toBe('{"balance":"9.10000","currency":"USD"}');
    });
  });

  describe('routing', () => {
    // GET / is the web panel's page (web-api.test.ts).
    it.each([
      ['GET', '/api'],
      ['GET', '/api/v1'],
      ['GET', '/api/v3?action=balance'],
      ['GET', '/api/v2x'],
      ['POST', '/api/v2/services'],
      ['POST', '/api/v2/add?key=x'],
    ])('answers %s %s with a JSON 404', async (method, path) => {
      const user = await panel.customer('1');
      const body = form({ key: user.apiKey, action: 'balance' });
      const response = await raw(panel, {
        method,
        path,
        ...(method === 'POST'
          ? { headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body), body }
          : {}),
      });
      expect(response.status).toBe(404);
      expect(response.contentType).toBe(JSON_TYPE);
      expect(response.text).toBe(NOT_FOUND);
    });

    it.each(['/api/v2/%E0%A4%A', '/%E0%A4%A', '/api/%ZZ'])(
      'answers a URL that cannot be decoded (%s) as JSON',
      async (path) => {
        const response = await raw(panel, { method: 'GET', path });
        expect([response.status, response.contentType, response.text]).toEqual([
          200,
          JSON_TYPE,
          INCORRECT_REQUEST,
        ]);
      },
    );

    it('serves /api/v2/ with a trailing slash, by GET and by POST', async () => {
      const user = await panel.customer('2');
      const get = await raw(panel, {
        method: 'GET',
        path: `/api/v2/?${form({ key: user.apiKey, action: 'balance' })}`,
      });
      expect([get.status, get.contentType, get.text]).toEqual([
        200,
        JSON_TYPE,
        '{"balance":"2.00000","currency":"USD"}',
      ]);
      const body = form({ key: user.apiKey, action: 'balance' });
      const post = await raw(panel, {
        path: '/api/v2/',
        headers: withLength({ 'content-type': 'application/x-www-form-urlencoded' }, body),
        body,
      });
      expect([post.status, post.contentType, post.text]).toEqual([
        200,
        JSON_TYPE,
        '{"balance":"2.00000","currency":"USD"}',
      ]);
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['unknown', 'withdraw'],
      ['prototype member __proto__', '__proto__'],
      ['prototype member constructor', 'constructor'],
      ['prototype member toString', 'toString'],
      ['prototype member hasOwnProperty', 'hasOwnProperty'],
    ])('answers a %s action with Incorrect request', async (_name, action) => {
      const user = await panel.customer('1');
      const params: Record<string, string> = { key: user.apiKey };
      if (action !== undefined) params.action = action;
      for (const transport of TRANSPORTS) {
        const response = await panel.api(params, { transport });
        expect([response.status, response.contentType, response.text]).toEqual([
          200,
          JSON_TYPE,
          INCORRECT_REQUEST,
        ]);
      }
    });
  });
});
