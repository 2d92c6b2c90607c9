import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel } from '../support/test-panel.js';

describe('smoke', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('places and reads an order', async () => {
    const user = await panel.customer('10');
    const service = await panel.createService();
    const add = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x/y',
      quantity: 1000,
    });
    expect(add.json).toEqual({ order: expect.any(Number) });
    const status = await panel.api({ key: user.apiKey, action: 'status', order: add.json.order });
    expect(status.json).toEqual({
      charge: '0.90000',
      start_count: '0',
      status: 'Pending',
      remains: '1000',
      currency: 'USD',
    });
  });
});
