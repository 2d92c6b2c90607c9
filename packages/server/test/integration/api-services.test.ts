import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog/create-service.js';
import type { ServiceDraft } from '../../src/app/catalog/service-draft.js';
import { setUserRate } from '../../src/app/catalog/set-user-rate.js';
import { updateService } from '../../src/app/catalog/update-service.js';
import type { Context } from '../../src/app/context.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

const JSON_TYPE = 'application/json; charset=utf-8';

interface ServiceEntry {
  service: number;
  name: string;
  type: string;
  category: string;
  rate: string;
  min: string;
  max: string;
  refill: boolean;
  cancel: boolean;
  dripfeed: boolean;
  desc: string;
}

const FIELDS = [
  'service',
  'name',
  'type',
  'category',
  'rate',
  'min',
  'max',
  'refill',
  'cancel',
  'dripfeed',
  'desc',
];

/** Every entry of every `services` answer: exactly these keys, in this order, of these types. */
function expectServiceShape(entry: Record<string, unknown>): void {
  expect(Object.keys(entry)).toEqual(FIELDS);
  expect(Number.isSafeInteger(entry.service)).toBe(true);
  for (const field of ['name', 'type', 'category', 'rate', 'min', 'max', 'desc']) {
    expect(typeof entry[field], field).toBe('string');
  }
  for (const field of ['refill', 'cancel', 'dripfeed']) expect(typeof entry[field], field).toBe('boolean');
  expect(entry.rate).toMatch(/^\d+\.\d{2,5}$/);
  expect(entry.min).toMatch(/^[1-9]\d*$/);
  expect(entry.max).toMatch(/^[1-9]\d*$/);
}

/** The exact JSON text the answer must carry for one service. */
function entryText(entry: ServiceEntry): string {
  return JSON.stringify({
    service: entry.service,
    name: entry.name,
    type: entry.type,
    category: entry.category,
    rate: entry.rate,
    min: entry.min,
    max: entry.max,
    refill: entry.refill,
    cancel: entry.cancel,
    dripfeed: entry.dripfeed,
    desc: entry.desc,
  });
}

const unique = () => randomBytes(4).toString('hex');

describe('API v2 services', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  /** The caller's `services` answer, every entry checked for shape. */
  async function services(user: TestUser): Promise<{ text: string; list: ServiceEntry[] }> {
    const response = await panel.api({ key: user.apiKey, action: 'services' });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe(JSON_TYPE);
    expect(Array.isArray(response.json)).toBe(true);
    for (const entry of response.json as Record<string, unknown>[]) expectServiceShape(entry);
    return { text: response.text, list: response.json as ServiceEntry[] };
  }

  /** Only the entries for the given ids, in answer order. */
  async function servicesAmong(user: TestUser, ids: readonly number[]): Promise<ServiceEntry[]> {
    const { list } = await services(user);
    return list.filter((entry) => ids.includes(entry.service));
  }

  async function rateOf(user: TestUser, id: number): Promise<string | undefined> {
    const { list } = await services(user);
    return list.find((entry) => entry.service === id)?.rate;
  }

  async function balance(user: TestUser): Promise<string> {
    return ((await panel.api({ key: user.apiKey, action: 'balance' })).json as { balance: string }).balance;
  }

  async function add(user: TestUser, service: number, quantity: number): Promise<string> {
    const response = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: `https://x.test/${unique()}`,
      quantity,
    });
    return response.text;
  }

  it('answers the exact fields and types of each service', async () => {
    const user = await panel.customer('0');
    const category = `Instagram ${unique()}`;
    const id = await panel.createService({
      name: 'Followers [Real] 🚀',
      type: 'Default',
      category,
      rate: '0.9',
      min: 50,
      max: 10000,
      refill: true,
      cancel: false,
      dripfeed: true,
      description: 'Line one\nLine "two" <b>',
    });
    const package_ = await panel.createService({
      name: 'Package deal',
      type: 'Package',
      category,
      rate: '8',
      min: 1,
      max: 1,
      refill: false,
      cancel: true,
      dripfeed: false,
      description: '',
    });
    const { text, list } = await services(user);
    const expected: ServiceEntry[] = [
      {
        service: id,
        name: 'Followers [Real] 🚀',
        type: 'Default',
        category,
        rate: '0.90',
        min: '50',
        max: '10000',
        refill: true,
        cancel: false,
        dripfeed: true,
        desc: 'Line one\nLine "two" <b>',
      },
      {
        service: package_,
        name: 'Package deal',
        type: 'Package',
        category,
        rate: '8.00',
        min: '1',
        max: '1',
        refill: false,
        cancel: true,
        dripfeed: false,
        desc: '',
      },
    ];
    expect(list.filter((entry) => entry.service === id || entry.service === package_)).toEqual(expected);
    // Byte-exact: numbers where the seed shows numbers, strings where it shows strings, in field order.
    expect(text).toContain(`${entryText(expected[0]!)},${entryText(expected[1]!)}`);
    expect(text).toContain(
      `{"service":${id},"name":"Followers [Real] 🚀","type":"Default","category":"${category}","rate":"0.90","min":"50","max":"10000","refill":true,"cancel":false,"dripfeed":true,"desc":"Line one\\nLine \\"two\\" <b>"}`,
    );
  });

  it.each([
    ['0.9', '0.90'],
    ['0.90', '0.90'],
    ['8', '8.00'],
    ['8.00000', '8.00'],
    ['0.00123', '0.00123'],
    ['0.00001', '0.00001'],
    ['0', '0.00'],
    ['12.5', '12.50'],
    ['1.23450', '1.2345'],
    ['1000', '1000.00'],
    ['123456.78901', '123456.78901'],
  ])('shows a rate of %s as "%s"', async (stored, shown) => {
    const user = await panel.customer('0');
    const id = await panel.createService({ rate: stored, category: `Rates ${unique()}` });
    expect(await rateOf(user, id)).toBe(shown);
    const { text } = await services(user);
    expect(text).toContain(`"service":${id},"name":"Followers","type":"Default","category":`);
    expect(text).toMatch(
      new RegExp(`"service":${id},[^}]*"rate":"${shown.replace('.', '\\.')}","min":"10","max":"10000"`),
    );
  });

  it('lists only enabled services', async () => {
    const user = await panel.customer('0');
    const category = `Enabled ${unique()}`;
    const on = await panel.createService({ category, name: 'On' });
    const off = await panel.createService({ category, name: 'Off', enabled: false });
    const { list } = await services(user);
    expect(list.map((entry) => entry.service)).toContain(on);
    expect(list.map((entry) => entry.service)).not.toContain(off);
  });

  it('orders services by category, then by service', async () => {
    const user = await panel.customer('0');
    const tag = unique();
    // Interleaved: created A, B, A, C, B. Categories keep the order they were created in.
    const a1 = await panel.createService({ category: `A ${tag}`, name: 'a1' });
    const b1 = await panel.createService({ category: `B ${tag}`, name: 'b1' });
    const a2 = await panel.createService({ category: `A ${tag}`, name: 'a2' });
    const c1 = await panel.createService({ category: `C ${tag}`, name: 'c1' });
    const b2 = await panel.createService({ category: `B ${tag}`, name: 'b2' });
    const entries = await servicesAmong(user, [a1, b1, a2, c1, b2]);
    expect(entries.map((entry) => [entry.category, entry.service])).toEqual([
      [`A ${tag}`, a1],
      [`A ${tag}`, a2],
      [`B ${tag}`, b1],
      [`B ${tag}`, b2],
      [`C ${tag}`, c1],
    ]);
    // Each category's services are contiguous in the whole answer.
    const { list } = await services(user);
    const categories = list.map((entry) => entry.category);
    const seen = new Set<string>();
    categories.forEach((category, index) => {
      if (index > 0 && categories[index - 1] !== category) {
        expect(seen.has(category), `category ${category} appears in two runs`).toBe(false);
      }
      seen.add(category);
    });
  });

  describe('custom rates', () => {
    it('shows a user rate only to that user and charges it on add', async () => {
      const special = await panel.customer('10');
      const regular = await panel.customer('10');
      const id = await panel.createService({ rate: '0.90', category: `Custom ${unique()}` });
      const set = await setUserRate(panel.ctx, { username: special.username, serviceId: id, rate: '0.5' });
      expect(set).toEqual({ ok: true, value: { username: special.username, service: id, rate: '0.50' } });

      expect(await rateOf(special, id)).toBe('0.50');
      expect(await rateOf(regular, id)).toBe('0.90');
      // Only the rate differs between the two answers for this service.
      const [specialEntry] = await servicesAmong(special, [id]);
      const [regularEntry] = await servicesAmong(regular, [id]);
      expect({ ...specialEntry, rate: '0.90' }).toEqual(regularEntry);

      expect(await add(special, id, 1000)).toMatch(/^\{"order":\d+\}$/);
      expect(await balance(special)).toBe('9.50000');
      expect(await add(regular, id, 1000)).toMatch(/^\{"order":\d+\}$/);
      expect(await balance(regular)).toBe('9.10000');

      // Cleared: back to the service rate, shown and charged.
      await setUserRate(panel.ctx, { username: special.username, serviceId: id, rate: null });
      expect(await rateOf(special, id)).toBe('0.90');
      expect(await add(special, id, 1000)).toMatch(/^\{"order":\d+\}$/);
      expect(await balance(special)).toBe('8.60000');
    });

    it('charges a custom rate rounded up, and a zero custom rate as free', async () => {
      const user = await panel.customer('1');
      const id = await panel.createService({ rate: '5', category: `Custom ${unique()}` });
      await setUserRate(panel.ctx, { username: user.username, serviceId: id, rate: '0.00123' });
      expect(await rateOf(user, id)).toBe('0.00123');
      // 0.00123 × 15 / 1000 = 0.00001845 → rounded up to 0.00002.
      expect(await add(user, id, 15)).toMatch(/^\{"order":\d+\}$/);
      expect(await balance(user)).toBe('0.99998');

      await setUserRate(panel.ctx, { username: user.username, serviceId: id, rate: '0' });
      expect(await rateOf(user, id)).toBe('0.00');
      expect(await add(user, id, 10000)).toMatch(/^\{"order":\d+\}$/);
      expect(await balance(user)).toBe('0.99998');
    });

    it('does not list a disabled service even to a user with a custom rate for it', async () => {
      const user = await panel.customer('10');
      const id = await panel.createService({ rate: '1', category: `Custom ${unique()}` });
      await setUserRate(panel.ctx, { username: user.username, serviceId: id, rate: '0.5' });
      await updateService(panel.ctx, id, { enabled: false });
      expect(await rateOf(user, id)).toBeUndefined();
      expect(await add(user, id, 1000)).toBe('{"error":"Incorrect service ID"}');
    });
  });

  /** Each change, made through `ctx`, must show in the very next `services` answer of the panel. */
  function invalidationSuite(name: string, contextFor: () => Context) {
    describe(name, () => {
      const draft = (overrides: Partial<ServiceDraft>): ServiceDraft => ({
        name: 'Likes',
        type: 'Default',
        category: `Cache ${unique()}`,
        rate: '1.00',
        min: 10,
        max: 5000,
        refill: false,
        refillDays: 30,
        cancel: false,
        dripfeed: false,
        allowDuplicateLinks: true,
        description: '',
        enabled: true,
        ...overrides,
      });

      it('reflects a created service at once', async () => {
        const user = await panel.customer('0');
        const before = await services(user); // warms the cache
        const created = await createService(contextFor(), draft({ name: 'Brand new' }));
        if (!created.ok) throw new Error(JSON.stringify(created.failure));
        const after = await services(user);
        expect(after.list.length).toBe(before.list.length + 1);
        expect(after.list.find((entry) => entry.service === created.value.id)?.name).toBe('Brand new');
      });

      it('reflects an updated service at once', async () => {
        const user = await panel.customer('10');
        const created = await createService(contextFor(), draft({ rate: '1.00' }));
        if (!created.ok) throw new Error(JSON.stringify(created.failure));
        const id = created.value.id;
        expect(await rateOf(user, id)).toBe('1.00');

        const category = `Moved ${unique()}`;
        const updated = await updateService(contextFor(), id, {
          name: 'Renamed',
          rate: '2.5',
          min: 20,
          max: 300,
          refill: true,
          cancel: true,
          description: 'now with refill',
          category,
        });
        expect(updated.ok).toBe(true);
        const [entry] = await servicesAmong(user, [id]);
        expect(entry).toEqual({
          service: id,
          name: 'Renamed',
          type: 'Default',
          category,
          rate: '2.50',
          min: '20',
          max: '300',
          refill: true,
          cancel: true,
          dripfeed: false,
          desc: 'now with refill',
        });
        // And the new rate is what add charges.
        expect(await add(user, id, 100)).toMatch(/^\{"order":\d+\}$/);
        expect(await balance(user)).toBe('9.75000');
      });

      it('reflects a disabled and re-enabled service at once', async () => {
        const user = await panel.customer('0');
        const created = await createService(contextFor(), draft({}));
        if (!created.ok) throw new Error(JSON.stringify(created.failure));
        const id = created.value.id;
        expect(await rateOf(user, id)).toBe('1.00');
        await updateService(contextFor(), id, { enabled: false });
        expect(await rateOf(user, id)).toBeUndefined();
        await updateService(contextFor(), id, { enabled: true });
        expect(await rateOf(user, id)).toBe('1.00');
      });

      it('reflects a set and a cleared user rate at once, for that user only', async () => {
        const user = await panel.customer('10');
        const other = await panel.customer('0');
        const created = await createService(contextFor(), draft({ rate: '1.00' }));
        if (!created.ok) throw new Error(JSON.stringify(created.failure));
        const id = created.value.id;
        expect(await rateOf(user, id)).toBe('1.00');
        expect(await rateOf(other, id)).toBe('1.00');

        expect(
          (await setUserRate(contextFor(), { username: user.username, serviceId: id, rate: '0.7' })).ok,
        ).toBe(true);
        expect(await rateOf(user, id)).toBe('0.70');
        expect(await rateOf(other, id)).toBe('1.00');
        expect(await add(user, id, 1000)).toMatch(/^\{"order":\d+\}$/);
        expect(await balance(user)).toBe('9.30000');

        // Changed again: the user's cached personal answer must not survive.
        expect(
          (await setUserRate(contextFor(), { username: user.username, serviceId: id, rate: '0.8' })).ok,
        ).toBe(true);
        expect(await rateOf(user, id)).toBe('0.80');

        expect(
          (await setUserRate(contextFor(), { username: user.username, serviceId: id, rate: null })).ok,
        ).toBe(true);
        expect(await rateOf(user, id)).toBe('1.00');
        expect(await add(user, id, 1000)).toMatch(/^\{"order":\d+\}$/);
        expect(await balance(user)).toBe('8.30000');
      });
    });
  }

  invalidationSuite('cache invalidation (same process)', () => panel.ctx);

  describe('cache invalidation through a second database connection', () => {
    let second: Database;
    beforeAll(() => {
      second = openDatabase(parseDatabaseUrl(panel.database.url));
    });
    afterAll(() => second.close());

    it('really is a separate connection', () => {
      expect(second).not.toBe(panel.db);
    });

    invalidationSuite('another process', () => ({
      db: second,
      clock: panel.clock,
      actor: { kind: 'cli' },
      currency: 'USD',
    }));
  });
});
