import { describe, expect, it } from 'vitest';
import { type HostResolver, type UrlPolicy, checkPublicUrl, systemResolver } from './public-url.js';

/** DNS answers as a rebinding or split-horizon resolver would give them. */
function resolverOf(table: Record<string, string[]>): HostResolver {
  return (host) => {
    const found = table[host];
    if (!found) return Promise.reject(new Error(`ENOTFOUND ${host}`));
    return Promise.resolve(found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

const names = resolverOf({
  'hooks.example.com': ['93.184.216.34'],
  'inside.example.com': ['10.0.0.7'],
  'metadata.example.com': ['169.254.169.254'],
  'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
  'v6.example.com': ['2606:4700:4700::1111'],
  'mapped.example.com': ['::ffff:192.168.0.1'],
});
const strict: UrlPolicy = { allowPrivate: false, resolve: names };
const open: UrlPolicy = { allowPrivate: true, resolve: names };

async function reason(policy: UrlPolicy, url: string): Promise<string | null> {
  const result = await checkPublicUrl(policy, url);
  if (result.ok) return null;
  return result.failure.code === 'INVALID_INPUT' ? result.failure.reason : result.failure.code;
}

describe('checkPublicUrl', () => {
  it('accepts http(s) on a public address and pins the resolved one', async () => {
    const result = await checkPublicUrl(strict, 'https://hooks.example.com/smm?x=1');
    expect(result).toMatchObject({ ok: true, value: { address: '93.184.216.34', family: 4 } });
    expect(await reason(strict, 'http://v6.example.com:8443/')).toBeNull();
    expect(await reason(strict, 'https://8.8.8.8/hook')).toBeNull();
  });

  it.each([
    ['http://127.0.0.1:9000/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://localhost./', 'does not resolve'],
    ['http://inside.example.com/', 'private'],
    ['http://metadata.example.com/latest/meta-data', 'link-local'],
    ['http://169.254.169.254/', 'link-local'],
    ['http://100.64.1.1/', 'shared'],
    ['http://mixed.example.com/', 'loopback'],
    ['http://mapped.example.com/', 'private'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd00::1]/', 'private'],
    ['ftp://hooks.example.com/', 'https:// or http://'],
    ['file:///etc/passwd', 'https:// or http://'],
    ['https://user:pw@hooks.example.com/', 'user name or password'],
    ['not a url', 'not a URL'],
    ['http://nowhere.invalid/', 'does not resolve'],
  ])('refuses %s (%s)', async (url, why) => {
    expect(await reason(strict, url)).toContain(why);
  });

  it('accepts private addresses only when the owner allows them', async () => {
    expect(await reason(open, 'http://127.0.0.1:9000/')).toBeNull();
    expect(await reason(open, 'http://inside.example.com/')).toBeNull();
    expect(await reason(open, 'ftp://hooks.example.com/')).toContain('https:// or http://');
  });

  it('refuses a name the system resolves to loopback', async () => {
    expect(
      await reason({ allowPrivate: false, resolve: systemResolver }, 'http://localhost:8080/'),
    ).toContain('not a public address');
  });
});
