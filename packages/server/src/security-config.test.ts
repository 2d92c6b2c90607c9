import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The settings issue 13 added (README › Security). */
describe('security settings', () => {
  it('SMMKIT_METRICS_TOKEN: off by default, a visible-ASCII token of 16+ characters when set', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ SMMKIT_METRICS_TOKEN: ' abcdefghijklmnop0123 ' }).metricsToken).toBe(
      'abcdefghijklmnop0123',
    );
    for (const bad of ['short', 'has a space inside it!', 'ünïcödé-tokens-are-no']) {
      expect(() => loadConfig({ SMMKIT_METRICS_TOKEN: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ SMMKIT_METRICS_TOKEN: bad })).toThrow('SMMKIT_METRICS_TOKEN');
    }
  });
});
