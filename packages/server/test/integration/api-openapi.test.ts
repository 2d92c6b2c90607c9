import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/http/api-v2/actions.js';
import { TestPanel } from '../support/test-panel.js';

describe('API v2 OpenAPI document', () => {
  let panel: TestPanel;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document indexed freely
  let document: any;
  let ajv: Ajv2020;
  beforeAll(async () => {
    panel = await TestPanel.start();
    const response = await fetch(`${panel.baseUrl}/api/v2/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = await response.json();
    // The document's schemas, for checking real answers against them (OpenAPI's `discriminator` is not JSON Schema).
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
  });
  afterAll(() => panel.close());

  function check(schema: string, value: unknown): void {
    const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
    expect(validate(value), `${schema}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: panel.baseUrl }]);
  });

  it('describes every action of the action table, its parameters and its answer', () => {
    const mapping =
      document.paths['/api/v2'].post.requestBody.content['application/json'].schema.discriminator.mapping;
    expect(Object.keys(mapping).sort()).toEqual(Object.keys(ACTIONS).sort());
    const add = document.components.schemas.AddRequest;
    expect(add.required).toEqual(['key', 'action', 'service']);
    for (const name of [
      'link',
      'quantity',
      'comments',
      'usernames',
      'runs',
      'interval',
      'delay',
      'expiry',
      'request_id',
    ])
      expect(add.properties, name).toHaveProperty(name);
    expect(add.properties.comments.description).toContain('Custom Comments');
    expect(Object.keys(document.webhooks)).toEqual([
      'order.updated',
      'refill.updated',
      'deposit.paid',
      'balance.low',
    ]);
  });

  it('matches what the API answers', async () => {
    const user = await panel.customer('10');
    const service = await panel.createService({ cancel: true });
    const key = user.apiKey;
    const services = await panel.api({ key, action: 'services' });
    check('ServicesAnswer', services.json);
    const added = await panel.api({ key, action: 'add', service, link: 'https://x/1', quantity: 100 });
    check('AddAnswer', added.json);
    const order = added.json.order as number;
    check('StatusAnswer', (await panel.api({ key, action: 'status', order })).json);
    check('StatusAnswer', (await panel.api({ key, action: 'status', orders: `${order},999999` })).json);
    check('RefillAnswer', (await panel.api({ key, action: 'refill', orders: `${order}` })).json);
    check('RefillStatusAnswer', (await panel.api({ key, action: 'refill_status', refills: '1,2' })).json);
    check('CancelAnswer', (await panel.api({ key, action: 'cancel', orders: `${order},999999` })).json);
    check('BalanceAnswer', (await panel.api({ key, action: 'balance' })).json);
    check('Error', (await panel.api({ key, action: 'status', order: 999999 })).json);
    check('AddRequest', { key, action: 'add', service: 1, link: 'https://x/2', quantity: '100' });
  });
});
