import { describe, expect, it } from 'vitest';
import { GATEWAY_NAMES, gatewayDefinitions, isGatewayName, maskGatewayConfig } from './index.js';

const valid = {
  stripe: { secretKey: 'sk_test_abc', webhookSecret: 'whsec_abc' },
  paypal: { clientId: 'client', clientSecret: 'secret', webhookId: 'WH-1' },
  nowpayments: { apiKey: 'KEY', ipnSecret: 'ipn' },
} as const;

describe('gateway registry', () => {
  it('names every gateway once, with a working adapter for a valid config', () => {
    expect(GATEWAY_NAMES).toEqual(['stripe', 'paypal', 'nowpayments']);
    for (const name of GATEWAY_NAMES) {
      const definition = gatewayDefinitions[name];
      expect(definition.name).toBe(name);
      const config = definition.parseConfig({ ...valid[name] });
      expect(config).toEqual(valid[name]);
      expect(definition.create(config).name).toBe(name);
    }
    expect(isGatewayName('paypal')).toBe(true);
    expect(isGatewayName('manual')).toBe(false);
    expect(isGatewayName('toString')).toBe(false);
  });

  it('normalises apiBase to an origin and trims values', () => {
    expect(
      gatewayDefinitions.stripe.parseConfig({
        ...valid.stripe,
        secretKey: ' sk_test_abc ',
        apiBase: 'http://127.0.0.1:4242/',
      }),
    ).toEqual({ ...valid.stripe, apiBase: 'http://127.0.0.1:4242' });
    expect(
      gatewayDefinitions.paypal.parseConfig({ ...valid.paypal, apiBase: 'https://api-m.sandbox.paypal.com' }),
    ).toMatchObject({
      apiBase: 'https://api-m.sandbox.paypal.com',
    });
  });

  it.each([
    ['stripe', null, 'stripe config must be a JSON object'],
    ['stripe', [], 'stripe config must be a JSON object'],
    ['stripe', { webhookSecret: 'whsec_x' }, 'stripe config is missing "secretKey"'],
    ['stripe', { ...valid.stripe, webhookSecret: '' }, 'stripe config is missing "webhookSecret"'],
    [
      'stripe',
      { ...valid.stripe, secretKey: 'pk_test_abc' },
      'stripe config "secretKey" must start with "sk_" or "rk_"',
    ],
    [
      'stripe',
      { ...valid.stripe, webhookSecret: 'abc' },
      'stripe config "webhookSecret" must start with "whsec_"',
    ],
    ['stripe', { ...valid.stripe, secretKey: 42 }, 'stripe config "secretKey" must be a string'],
    ['stripe', { ...valid.stripe, secret: 'x' }, 'stripe config has unknown key "secret"'],
    [
      'stripe',
      { ...valid.stripe, apiBase: 'not a url' },
      'stripe config "apiBase" is not a URL: "not a url"',
    ],
    [
      'stripe',
      { ...valid.stripe, apiBase: 'ftp://host' },
      'stripe config "apiBase" must be an http:// or https:// URL',
    ],
    [
      'stripe',
      { ...valid.stripe, apiBase: 'http://host/v1' },
      'stripe config "apiBase" must be a bare origin',
    ],
    [
      'stripe',
      { ...valid.stripe, apiBase: 'http://u:p@host' },
      'stripe config "apiBase" must be a bare origin',
    ],
    ['paypal', { clientId: 'c', clientSecret: 's' }, 'paypal config is missing "webhookId"'],
    ['paypal', { ...valid.paypal, clientSecret: '   ' }, 'paypal config "clientSecret" is empty'],
    ['nowpayments', { apiKey: 'k' }, 'nowpayments config is missing "ipnSecret"'],
  ] as const)('%s refuses %j: %s', (name, config, message) => {
    expect(() => gatewayDefinitions[name].parseConfig(config)).toThrow(message);
  });

  it('masks the secret fields only', () => {
    expect(gatewayDefinitions.stripe.secretFields).toEqual(['secretKey', 'webhookSecret']);
    expect(gatewayDefinitions.paypal.secretFields).toEqual(['clientSecret']);
    expect(gatewayDefinitions.nowpayments.secretFields).toEqual(['apiKey', 'ipnSecret']);
    const masked = maskGatewayConfig('stripe', {
      secretKey: 'sk_live_1234567890abcdef',
      webhookSecret: 'whsec_0123456789',
      apiBase: 'http://127.0.0.1:1',
    });
    expect(masked).toEqual({
      secretKey: 'sk_l••••',
      webhookSecret: 'whse••••',
      apiBase: 'http://127.0.0.1:1',
    });
    expect(maskGatewayConfig('paypal', valid.paypal)).toEqual({
      clientId: 'client',
      clientSecret: 's••••',
      webhookId: 'WH-1',
    });
    expect(JSON.stringify(maskGatewayConfig('nowpayments', valid.nowpayments))).not.toContain('KEY');
  });
});
