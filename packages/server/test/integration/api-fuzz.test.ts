import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';

const countOrders = sql('SELECT COUNT(*) AS n FROM orders');
const countLedger = sql('SELECT COUNT(*) AS n FROM ledger_entries');
const countIdempotency = sql('SELECT COUNT(*) AS n FROM idempotency_keys');
const countAudit = sql('SELECT COUNT(*) AS n FROM audit_log');
const selectBalances = sql('SELECT id, balance FROM users ORDER BY id');
const selectCatalogVersion = sql('SELECT version FROM catalog_state WHERE id = 1');

/** Every error an API v2 answer may carry to this fuzzer (nothing it sends can succeed at `add`). */
const ERROR_PATTERNS: readonly RegExp[] = [
  /^Invalid API key$/,
  /^Incorrect request$/,
  /^Incorrect service ID$/,
  /^Incorrect order ID$/,
  /^Incorrect [a-z_]+$/,
  /^Quantity less than minimal \d+$/,
  /^Quantity more than maximum \d+$/,
  /^Drip-feed is not available for this service$/,
  /^Not enough funds on balance$/,
  /^Too many IDs, maximum is 100$/,
];

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface FuzzRequest {
  readonly transport: 'form' | 'multipart' | 'json' | 'get';
  readonly path: '/api/v2' | '/api/v2/';
  /** Whether the fuzzing user's key is sent (else `key` is a wrong one or absent). */
  readonly validKey: boolean;
  readonly key: string | undefined;
  readonly action: JsonValue | undefined;
  readonly params: readonly (readonly [string, JsonValue])[];
  /** Extra query-string parameters on a POST (merged in, the body winning). */
  readonly query: readonly (readonly [string, string])[];
  readonly idempotencyKey: string | undefined;
}

interface RawFuzzRequest {
  readonly validKey: boolean;
  readonly key: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Uint8Array<ArrayBuffer>;
}

interface Outcome {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

/** Form-like transports carry text only: arrays become `name[]` entries, the rest their JSON text. */
function flatten(name: string, value: JsonValue): [string, string][] {
  if (typeof value === 'string') return [[name, value]];
  if (typeof value === 'number') return [[name, String(value)]];
  if (Array.isArray(value)) {
    const listName = name.endsWith('[]') ? name : `${name}[]`;
    return value.map((item) => [listName, typeof item === 'string' ? item : JSON.stringify(item)]);
  }
  return [[name, JSON.stringify(value)]];
}

async function send(panel: TestPanel, request: FuzzRequest): Promise<Outcome> {
  const all: [string, JsonValue][] = [];
  if (request.key !== undefined) all.push(['key', request.key]);
  if (request.action !== undefined) all.push(['action', request.action]);
  all.push(...request.params.map(([name, value]) => [name, value] as [string, JsonValue]));
  const headers: Record<string, string> = {};
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  const url = `${panel.baseUrl}${request.path}`;
  const query = new URLSearchParams(request.query.map(([n, v]) => [n, v]));
  let response: Response;
  if (request.transport === 'get') {
    const fields = new URLSearchParams([
      ...request.query.map(([n, v]) => [n, v]),
      ...all.flatMap(([n, v]) => flatten(n, v)),
    ]);
    response = await fetch(`${url}?${fields}`, { headers });
  } else if (request.transport === 'json') {
    const body: Record<string, JsonValue> = {};
    for (const [name, value] of all) {
      Object.defineProperty(body, name, { value, enumerable: true, configurable: true, writable: true });
    }
    response = await fetch(`${url}?${query}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } else if (request.transport === 'multipart') {
    const form = new FormData();
    for (const [name, value] of all.flatMap(([n, v]) => flatten(n, v))) form.append(name, value);
    response = await fetch(`${url}?${query}`, { method: 'POST', headers, body: form });
  } else {
    const body = new URLSearchParams(all.flatMap(([n, v]) => flatten(n, v))).toString();
    response = await fetch(`${url}?${query}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

async function sendRaw(panel: TestPanel, request: RawFuzzRequest): Promise<Outcome> {
  const query = request.key === undefined ? '' : `?${new URLSearchParams({ key: request.key })}`;
  const headers: Record<string, string> = {};
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const response = await fetch(`${panel.apiUrl}${query}`, { method: 'POST', headers, body: request.body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

describe('API v2 fuzz: malformed requests', () => {
  let panel: TestPanel;
  let fuzzer: TestUser;
  let bystander: TestUser;
  let serviceIds: number[];
  let bystanderOrders: number[];
  let servicesText: string;

  beforeAll(async () => {
    panel = await TestPanel.start();
    // The fuzzer has nothing: every add it could send must fail, so nothing may ever change.
    fuzzer = await panel.customer('0');
    bystander = await panel.customer('50');
    // Every service costs something: no add of the fuzzer can be free.
    serviceIds = [
      await panel.createService({ rate: '0.90', min: 10, max: 10000, dripfeed: true }),
      await panel.createService({ type: 'Package', rate: '5', min: 1, max: 1, category: 'Packages' }),
      await panel.createService({
        type: 'Custom Comments',
        rate: '0.00001',
        min: 1,
        max: 1000,
        category: 'Comments',
      }),
      await panel.createService({
        type: 'Subscriptions',
        rate: '2',
        min: 50,
        max: 5000,
        category: 'Subscriptions',
      }),
      await panel.createService({ type: 'Poll', rate: '1', min: 1, max: 100, allowDuplicateLinks: false }),
      await panel.createService({ rate: '3', enabled: false }),
    ];
    bystanderOrders = [];
    for (const quantity of [100, 200]) {
      const add = await panel.api({
        key: bystander.apiKey,
        action: 'add',
        service: serviceIds[0]!,
        link: 'https://x.test/bystander',
        quantity,
      });
      expect(add.text).toMatch(/^\{"order":\d+\}$/);
      bystanderOrders.push(add.json.order as number);
    }
    servicesText = (await panel.api({ key: fuzzer.apiKey, action: 'services' })).text;
    expect(JSON.parse(servicesText)).toHaveLength(5);
  });
  afterAll(() => panel.close());

  async function snapshot(): Promise<unknown> {
    const count = async (statement: typeof countOrders) => (await panel.db.get<{ n: bigint }>(statement))!.n;
    return {
      orders: await count(countOrders),
      ledger: await count(countLedger),
      idempotency: await count(countIdempotency),
      audit: await count(countAudit),
      balances: await panel.db.all(selectBalances),
      catalog: await panel.db.get(selectCatalogVersion),
    };
  }

  /**
   * The answer is JSON: an allowed error, or a well-formed answer of some action for a user who has
   * nothing. `key` says what the request's key was: none that works (`invalid`), the fuzzer's and
   * nothing could override it (`valid`), or the fuzzer's in the query while the body might carry
   * another one (`maybe`).
   */
  /** A form or query string is always readable, unless a value holds a NUL (refused as malformed). */
  function readableAsForm(req: { transport: string }): boolean {
    return (req.transport === 'form' || req.transport === 'get') && !JSON.stringify(req).includes('\\u0000');
  }

  function checkAnswer(
    outcome: Outcome,
    key: 'invalid' | 'valid' | 'maybe',
    bodyAlwaysReadable: boolean,
  ): void {
    expect(outcome.status, outcome.text).toBe(200);
    expect(outcome.contentType).toBe(JSON_TYPE);
    let json: unknown;
    expect(() => {
      json = JSON.parse(outcome.text) as unknown;
    }, outcome.text).not.toThrow();
    if (key === 'invalid') {
      const allowed = bodyAlwaysReadable
        ? ['{"error":"Invalid API key"}']
        : ['{"error":"Invalid API key"}', '{"error":"Incorrect request"}'];
      expect(allowed, outcome.text).toContain(outcome.text);
      return;
    }
    if (Array.isArray(json)) {
      if (outcome.text === servicesText) return;
      // A multi-id refill or cancel: the fuzzer owns no order, so every entry is the per-id error.
      expect(json.length, outcome.text).toBeGreaterThan(0);
      for (const entry of json as Record<string, unknown>[]) {
        const [id, action] = Object.keys(entry);
        expect([id, ['refill', 'cancel'].includes(action!)], outcome.text).toEqual(['order', true]);
        expect(entry[action!], outcome.text).toEqual({ error: 'Incorrect order ID' });
      }
      return;
    }
    expect(typeof json === 'object' && json !== null, outcome.text).toBe(true);
    const object = json as Record<string, unknown>;
    if (typeof object.error === 'string') {
      expect(Object.keys(object)).toEqual(['error']);
      expect(outcome.text).toBe(JSON.stringify({ error: object.error }));
      expect(
        ERROR_PATTERNS.some((pattern) => pattern.test(object.error as string)),
        outcome.text,
      ).toBe(true);
      if (key === 'valid') expect(object.error).not.toBe('Invalid API key');
      return;
    }
    if ('balance' in object) {
      expect(outcome.text).toBe('{"balance":"0.00000","currency":"USD"}');
      return;
    }
    // A multi-id status: the fuzzer owns no order, so every entry is the per-id error.
    const keys = Object.keys(object);
    expect(keys.length, outcome.text).toBeGreaterThan(0);
    expect(keys.length, outcome.text).toBeLessThanOrEqual(100);
    for (const id of keys) {
      expect(id.trim()).toBe(id);
      expect(id).not.toBe('');
      expect(id).not.toContain(',');
      expect(object[id], outcome.text).toEqual({ error: 'Incorrect order ID' });
    }
  }

  /** Parameter names and values a careless, hostile or broken client might send. */
  function generators() {
    const ids = [...serviceIds, ...bystanderOrders].map(String);
    const interesting = fc.constantFrom(
      ...ids,
      '-1',
      '0',
      '1',
      '10',
      '1000',
      '10000',
      '10001',
      '1e3',
      '1e309',
      '1.5',
      ' 7 ',
      '99999999999999999999999',
      '9007199254740993',
      '0x10',
      'NaN',
      'Infinity',
      '-0',
      '+5',
      '٣',
      'https://x.test/a',
      'https://x.test/bystander',
      'https://x.test/a b',
      '\0',
      '\r\n',
      'a\nb\r\nc',
      '\u2028',
      '\uFEFF',
      '\x1b[31m',
      '%00',
      '%',
      '&',
      '=',
      '[]',
      '{}',
      'null',
      'true',
      '12/12/2099',
      '31/02/2030',
    );
    // Id lists around the limit of 100 (short items: a GET must stay within Node's header limit).
    const idList = fc
      .tuple(
        fc.array(
          fc.oneof(fc.constantFrom(...ids, ' ', 'x', '', '0', '-3'), fc.nat({ max: 99_999 }).map(String)),
          {
            maxLength: 110,
          },
        ),
        fc.constantFrom(',', ', ', ' ,'),
      )
      .map(([items, separator]) => items.join(separator));
    const text = fc.oneof(
      interesting,
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
      fc.bigInt().map(String),
      fc.integer().map(String),
      fc.double().map(String),
    );
    const value: fc.Arbitrary<JsonValue> = fc.oneof(
      { weight: 6, arbitrary: text },
      { weight: 1, arbitrary: idList },
      {
        weight: 2,
        arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e308, -1, 0, 2 ** 53 + 1)),
      },
      { weight: 2, arbitrary: fc.array(fc.oneof(text, fc.integer()), { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue> },
    );
    const name = fc
      .oneof(
        fc.constantFrom(
          'action',
          'service',
          'order',
          'orders',
          'orders[]',
          'quantity',
          'link',
          'runs',
          'interval',
          'comments',
          'comments[]',
          'usernames',
          'username',
          'hashtag',
          'hashtags',
          'media',
          'answer_number',
          'groups',
          'keywords',
          'min',
          'max',
          'posts',
          'old_posts',
          'delay',
          'expiry',
          'request_id',
          'refill',
          'refills',
          '__proto__',
          '__proto__[]',
          'constructor',
          'prototype',
          'toString',
          '',
          '[]',
          'a[b]',
        ),
        fc.string({ maxLength: 10 }),
        fc.string({ unit: 'binary', maxLength: 10 }),
      )
      .filter((n) => n !== 'key' && n !== 'key[]');
    const action = fc.oneof(
      fc.constantFrom(
        'services',
        'add',
        'status',
        'balance',
        'refill',
        'cancel',
        ' add ',
        'ADD',
        'Status',
        '',
      ),
      fc.string({ maxLength: 10 }),
      value,
    );
    return { interesting, text, value, name, action };
  }

  it('never fails, always answers JSON and changes nothing (structured requests over every transport)', async () => {
    const before = await snapshot();
    const { interesting, value, name, action } = generators();
    const request: fc.Arbitrary<FuzzRequest> = fc
      .record({
        transport: fc.constantFrom('form', 'multipart', 'json', 'get'),
        path: fc.constantFrom('/api/v2', '/api/v2/'),
        validKey: fc.boolean(),
        wrongKey: fc.option(
          fc.oneof(fc.string({ maxLength: 70 }), fc.string({ minLength: 250, maxLength: 400 })),
          {
            nil: undefined,
          },
        ),
        action: fc.option(action, { nil: undefined, freq: 5 }),
        params: fc.array(fc.tuple(name, value), { maxLength: 6 }),
        query: fc.array(fc.tuple(name, fc.oneof(interesting, fc.string({ maxLength: 20 }))), {
          maxLength: 3,
        }),
        idempotencyKey: fc.option(fc.stringMatching(/^[!-~]{1,80}$/), { nil: undefined, freq: 4 }),
      })
      .map(({ wrongKey, ...rest }) => ({
        ...rest,
        key: rest.validKey ? fuzzer.apiKey : wrongKey,
      }));

    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const outcome = await send(panel, req);
        checkAnswer(outcome, req.validKey ? 'valid' : 'invalid', readableAsForm(req));
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('never fails, always answers JSON and changes nothing (add with hostile values in its parameters)', async () => {
    const before = await snapshot();
    const { text, value } = generators();
    // A well-formed add for each service (which fails only for want of funds), then some of its
    // parameters replaced, removed or doubled up with hostile values.
    const base: Record<string, string>[] = [
      { link: 'https://x.test/d', quantity: '100' },
      { link: 'https://x.test/p' },
      { link: 'https://x.test/c', comments: 'one\ntwo' },
      { username: 'someone', min: '100', max: '200', delay: '0' },
      { link: 'https://x.test/poll', quantity: '10', answer_number: '1' },
      { link: 'https://x.test/off', quantity: '100' },
    ];
    const addName = fc.constantFrom(
      'link',
      'quantity',
      'runs',
      'interval',
      'comments',
      'usernames',
      'username',
      'hashtag',
      'hashtags',
      'media',
      'answer_number',
      'groups',
      'keywords',
      'min',
      'max',
      'posts',
      'old_posts',
      'delay',
      'expiry',
      'request_id',
    );
    // Text with control characters, NUL and unpaired surrogates somewhere inside a plausible value.
    const hostile = fc.oneof(
      text,
      fc
        .tuple(
          fc.constantFrom('https://x.test/', 'bob', '100', '', 'a\nb', '12/12/2099'),
          fc.constantFrom('\0', '\x01', '\x7f', '\u0085', '\ud800', '\udfff', '\u2028', '\r', '\t', ' '),
          fc.string({ maxLength: 5 }),
        )
        .map(([head, bad, tail]) => head + bad + tail),
    );
    const request: fc.Arbitrary<FuzzRequest> = fc
      .record({
        transport: fc.constantFrom('form', 'multipart', 'json', 'get'),
        service: fc.nat({ max: serviceIds.length - 1 }),
        changes: fc.array(fc.tuple(addName, fc.option(fc.oneof(hostile, value), { nil: undefined })), {
          minLength: 1,
          maxLength: 3,
        }),
        idempotencyKey: fc.option(fc.stringMatching(/^[!-~]{1,80}$/), { nil: undefined, freq: 4 }),
      })
      .map(({ transport, service, changes, idempotencyKey }) => {
        const params = new Map<string, JsonValue>(Object.entries(base[service]!));
        for (const [param, replacement] of changes) {
          if (replacement === undefined) params.delete(param);
          else params.set(param, replacement);
        }
        return {
          transport,
          path: '/api/v2' as const,
          validKey: true,
          key: fuzzer.apiKey,
          action: 'add',
          params: [['service', serviceIds[service]!], ...params],
          query: [],
          idempotencyKey,
        };
      });

    const nulExample = (
      transport: FuzzRequest['transport'],
      changes: Record<string, string>,
    ): FuzzRequest => ({
      transport,
      path: '/api/v2',
      validKey: true,
      key: fuzzer.apiKey,
      action: 'add',
      params: [['service', serviceIds[0]!], ...Object.entries({ ...base[0], ...changes })],
      query: [],
      idempotencyKey: undefined,
    });

    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const outcome = await send(panel, req);
        checkAnswer(outcome, 'valid', readableAsForm(req));
        expect(outcome.text).not.toMatch(/^\{"order"/);
        expect(await snapshot()).toEqual(before);
      }),
      {
        numRuns: 100,
        // Found by this fuzz, always replayed: a NUL in a text PostgreSQL stores or looks up (500 there).
        examples: [
          [nulExample('form', { link: 'https://x.test/\0' })],
          [nulExample('json', { link: '\0' })],
          [nulExample('multipart', { request_id: 'retry\0' })],
          [nulExample('get', { request_id: '\0' })],
        ],
      },
    );
  });

  it('never fails, always answers JSON and changes nothing (raw bodies under any content type)', async () => {
    const before = await snapshot();
    const contentType = fc.oneof(
      fc.constantFrom(
        undefined,
        'application/json',
        'application/json; charset=utf-8',
        'application/vnd.api+json',
        'multipart/form-data',
        'multipart/form-data; boundary=xyz',
        'multipart/form-data; boundary=',
        'multipart/form-data; boundary="a b"',
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/octet-stream',
        '',
        ';;;',
        'application/json; charset=latin1',
      ),
      fc.stringMatching(/^[ -~]{0,40}$/),
    );
    const textBody = fc.oneof(
      fc.constantFrom(
        '{',
        '[]',
        '[1,2]',
        '"text"',
        'null',
        '0',
        '{"action":"add","service":1,"link":"https://x.test/z","quantity":1000}',
        '{"action":"status","orders":[[1]]}',
        '{"action":{"a":1}}',
        '{"__proto__":{"key":"x"},"action":"balance"}',
        'action=balance&action[]=status',
        '--xyz\r\nContent-Disposition: form-data; name="action"\r\n\r\nbalance\r\n--xyz--\r\n',
        '--xyz\r\nContent-Disposition: form-data; name="action"\r\n\r\nbalance',
        '--xyz\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nxx\r\n--xyz--\r\n',
        '%E0%A4%A',
        '\uFFFD\u0000',
      ),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    );
    const body = fc.oneof(
      textBody.map((t) => new TextEncoder().encode(t)),
      fc.uint8Array({ maxLength: 300 }),
    );
    const request: fc.Arbitrary<RawFuzzRequest> = fc
      .record({
        validKey: fc.boolean(),
        contentType,
        body,
        wrongKey: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      })
      .map(({ validKey, wrongKey, ...rest }) => ({
        ...rest,
        validKey,
        key: validKey ? fuzzer.apiKey : wrongKey,
      }));

    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const outcome = await sendRaw(panel, req);
        checkAnswer(outcome, req.validKey ? 'maybe' : 'invalid', false);
        if (req.validKey && outcome.text === '{"error":"Invalid API key"}') {
          // Only a body that names a key of its own may override the valid one in the query.
          expect(Buffer.from(req.body).toString('latin1')).toMatch(/key/);
        }
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });

  it('left the fuzzing user as it found them', async () => {
    expect((await panel.api({ key: fuzzer.apiKey, action: 'balance' })).text).toBe(
      '{"balance":"0.00000","currency":"USD"}',
    );
    expect((await panel.api({ key: bystander.apiKey, action: 'balance' })).text).toBe(
      '{"balance":"49.73000","currency":"USD"}',
    );
    const statuses = await panel.api({
      key: fuzzer.apiKey,
      action: 'status',
      orders: bystanderOrders.join(','),
    });
    expect(statuses.text).toBe(
      `{${bystanderOrders.map((id) => `"${id}":{"error":"Incorrect order ID"}`).join(',')}}`,
    );
  });
});
