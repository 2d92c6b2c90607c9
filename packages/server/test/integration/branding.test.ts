import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublicBranding } from '../../src/app/branding/read-branding.js';
import { smtpMailer } from '../../src/app/email/mailer.js';
import { sendDueEmails } from '../../src/app/email/send-due-emails.js';
import { createUser } from '../../src/app/users/create-user.js';
import { sql } from '../../src/store/database.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const countImages = sql('SELECT COUNT(*) AS n FROM brand_images');
const brandingAudit = sql(
  "SELECT action, target, details FROM audit_log WHERE action LIKE 'branding.%' ORDER BY id",
);
const PUBLIC_URL = 'https://panel.example/smm';

describe('branding', () => {
  let panel: TestPanel;
  const smtp = new SmtpTestServer();
  beforeAll(async () => {
    await smtp.start();
    panel = await TestPanel.start({ mail: { enabled: true, publicUrl: PUBLIC_URL, adminEmail: null } });
  });
  afterAll(async () => {
    await panel.close();
    await smtp.stop();
  });

  const imageCount = async () => Number((await panel.db.get<{ n: bigint }>(countImages))!.n);
  const fetchBrand = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${panel.baseUrl}${path}`, { headers });

  it('stores an uploaded PNG and JPEG and serves their exact bytes, as images only, at versioned URLs', async () => {
    const owner = await webUser(panel, 'owner');
    expect((await fetchBrand('/brand/logo')).status).toBe(404);
    expect((await owner.web.get('/session')).json.panel).toMatchObject({ logoUrl: null, faviconUrl: null });

    const png = fixture('python.png');
    const uploaded = await owner.web.request('PUT', '/admin/branding/logo', { image: base64(png) });
    expect(uploaded.status).toBe(200);
    expect(uploaded.json.logo).toMatchObject({
      contentType: 'image/png',
      width: 16,
      height: 16,
      bytes: png.length,
    });
    const logoUrl = uploaded.json.logo.url as string;
    expect(logoUrl).toMatch(/^\/brand\/logo\?v=[0-9a-f]{16}$/);

    const served = await fetchBrand(logoUrl);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = served.headers.get('etag')!;
    // Unversioned: revalidated by ETag.
    const plain = await fetchBrand('/brand/logo');
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    expect((await fetchBrand('/brand/logo', { 'if-none-match': etag })).status).toBe(304);
    // A stale version is not cached for a year.
    expect((await fetchBrand('/brand/logo?v=0000000000000000')).headers.get('cache-control')).toBe(
      'no-cache',
    );

    const jpeg = fixture('python.jpg');
    const second = await owner.web.request('PUT', '/admin/branding/logo', { image: base64(jpeg) });
    expect(second.json.logo).toMatchObject({ contentType: 'image/jpeg', bytes: jpeg.length });
    expect(second.json.logo.url).not.toBe(logoUrl);
    const servedJpeg = await fetchBrand('/brand/logo');
    expect(servedJpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await servedJpeg.arrayBuffer()).equals(jpeg)).toBe(true);
    expect((await fetchBrand('/brand/logo', { 'if-none-match': etag })).status).toBe(200);

    const ico = fixture('idle.ico');
    const favicon = await owner.web.request('PUT', '/admin/branding/favicon', { image: base64(ico) });
    expect(favicon.json.favicon).toMatchObject({ contentType: 'image/x-icon', width: 256, height: 256 });
    for (const path of ['/favicon.ico', favicon.json.favicon.url as string]) {
      const icon = await fetchBrand(path);
      expect(icon.headers.get('content-type')).toBe('image/x-icon');
      expect(Buffer.from(await icon.arrayBuffer()).equals(ico)).toBe(true);
    }

    // Everyone's session names the versioned URLs (a visitor's too: the login page shows the logo).
    const visitor = await new WebClient(panel.baseUrl).get('/session');
    expect(visitor.json.panel).toMatchObject({
      logoUrl: second.json.logo.url,
      faviconUrl: favicon.json.favicon.url,
    });

    // Reset to none.
    const removed = await owner.web.request('DELETE', '/admin/branding/logo', {});
    expect(removed.json.logo).toBeNull();
    expect((await fetchBrand('/brand/logo')).status).toBe(404);
    expect((await owner.web.get('/session')).json.panel.logoUrl).toBeNull();
    expect((await owner.web.request('DELETE', '/admin/branding/logo', {})).status).toBe(200);
    await owner.web.request('DELETE', '/admin/branding/favicon', {});
    expect((await fetchBrand('/favicon.ico')).status).toBe(404);

    const audit = await panel.db.all<{ action: string; target: string; details: string }>(brandingAudit);
    expect(audit.map((row) => [row.action, row.target])).toEqual([
      ['branding.upload', 'logo'],
      ['branding.upload', 'logo'],
      ['branding.upload', 'favicon'],
      ['branding.remove', 'logo'],
      ['branding.remove', 'favicon'],
    ]);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ contentType: 'image/png', bytes: png.length });
  });

  it('refuses HTML renamed .png, SVG, oversize and non-base64 uploads with a clear error, storing nothing', async () => {
    const owner = await webUser(panel, 'owner');
    const before = await imageCount();
    const html = Buffer.from(
      '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
    );
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    );
    const oversize = Buffer.concat([fixture('python.png'), Buffer.alloc(600 * 1024)]);
    const cases: [string, string, string][] = [
      ['/admin/branding/logo', base64(html), 'Invalid logo: not a PNG, JPEG, WebP, GIF or ICO image'],
      [
        '/admin/branding/logo',
        base64(svg),
        'Invalid logo: SVG is not accepted (it can carry script): upload a PNG, JPEG, WebP, GIF or ICO',
      ],
      ['/admin/branding/logo', base64(oversize), 'Invalid logo: at most 512 KB (this file is 601 KB)'],
      [
        '/admin/branding/favicon',
        base64(Buffer.concat([fixture('python.png'), Buffer.alloc(200 * 1024)])),
        'Invalid favicon: at most 128 KB (this file is 201 KB)',
      ],
      ['/admin/branding/logo', 'not base64!', 'Invalid logo: send the file as base64'],
      ['/admin/branding/logo', '', 'Invalid logo: the file is empty'],
    ];
    for (const [path, image, error] of cases) {
      const refused = await owner.web.request('PUT', path, { image });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ error, code: 'INVALID_INPUT' });
    }
    // Past the request body limit (1 MiB): refused before it is read.
    const huge = await owner.web.request('PUT', '/admin/branding/logo', {
      image: base64(Buffer.alloc(900 * 1024)),
    });
    expect(huge.status).toBe(413);
    expect(huge.json.code).toBe('BODY_TOO_LARGE');
    expect(await imageCount()).toBe(before);
    expect((await fetchBrand('/brand/logo')).status).toBe(404);
  });

  it('lets only staff with settings.write change the branding; customers and visitors are refused', async () => {
    const manager = await webUser(panel, 'manager');
    const support = await webUser(panel, 'support');
    const customer = await webUser(panel);
    const visitor = new WebClient(panel.baseUrl);
    await visitor.get('/session');
    const image = { image: base64(fixture('python.gif')) };
    for (const client of [manager.web, support.web, customer.web]) {
      expect((await client.request('PUT', '/admin/branding/logo', image)).status).toBe(403);
      expect(
        (await client.request('PUT', '/admin/branding/colour', { primaryColour: '#ff0000' })).status,
      ).toBe(403);
      expect((await client.request('DELETE', '/admin/branding/favicon', {})).status).toBe(403);
    }
    expect((await customer.web.get('/admin/branding')).status).toBe(403);
    expect((await visitor.request('PUT', '/admin/branding/logo', image)).status).toBe(401);
    // A manager may read it (dashboard.read), not change it.
    expect((await manager.web.get('/admin/branding')).json).toMatchObject({
      limits: { logo: { maxBytes: 524288, maxSide: 2048 }, favicon: { maxBytes: 131072, maxSide: 512 } },
    });
    expect(await imageCount()).toBe(0);
  });

  it('validates the primary colour, derives readable colours from it, and brands the emails', async () => {
    const owner = await webUser(panel, 'owner');
    for (const bad of [
      'red',
      '#fff',
      '#12345g',
      '#1234567',
      'javascript:alert(1)',
      '#123456;background:url(x)',
    ]) {
      const refused = await owner.web.request('PUT', '/admin/branding/colour', { primaryColour: bad });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({
        error: 'Invalid primary colour: a colour as #rrggbb, e.g. #2754c5',
        code: 'INVALID_INPUT',
        params: { field: 'primary colour' },
      });
    }
    expect((await owner.web.get('/session')).json.panel).toMatchObject({
      primaryColour: null,
      colours: { primary: '#2754c5', onPrimary: '#ffffff' },
    });
    const saved = await owner.web.request('PUT', '/admin/branding/colour', { primaryColour: '#FFDD00' });
    expect(saved.json.primaryColour).toBe('#ffdd00');
    const session = (await new WebClient(panel.baseUrl).get('/session')).json.panel;
    expect(session.primaryColour).toBe('#ffdd00');
    expect(session.colours).toMatchObject({ primary: '#ffdd00', onPrimary: '#000000' });
    expect(session.colours.link).not.toBe('#ffdd00');

    await owner.web.request('PUT', '/admin/settings', { panelName: 'Sunny SMM' });
    await owner.web.request('PUT', '/admin/branding/logo', { image: base64(fixture('python.webp')) });
    const branding = await readPublicBranding(panel.ctx, { baseUrl: PUBLIC_URL });
    expect(branding).toMatchObject({
      panelName: 'Sunny SMM',
      primaryColour: '#ffdd00',
      primaryTextColour: '#000000',
      faviconUrl: null,
    });
    expect(branding.logoUrl).toMatch(/^https:\/\/panel\.example\/smm\/brand\/logo\?v=[0-9a-f]{16}$/);
    expect((await readPublicBranding(panel.ctx)).logoUrl).toMatch(/^\/brand\/logo\?v=/);

    // A real message through the outbox and SMTP: name in the subject and signature, logo and colour in the HTML.
    const address = `brand_${process.pid}@mail.example`;
    const created = await createUser(panel.ctx, {
      username: `brand_${process.pid}`,
      password: 'pw-brand-secret',
      role: 'customer',
      email: address,
    });
    expect(created.ok).toBe(true);
    const mailer = smtpMailer(smtp.url, 'noreply@panel.example');
    await sendDueEmails(panel.ctx, mailer);
    mailer.close();
    const [email] = smtp.to(address);
    expect(email!.raw).toMatch(/^Subject: \[Sunny SMM\] Confirm your email address/m);
    expect(email!.raw).toMatch(/^From: "?Sunny SMM"? <noreply@panel\.example>/m);
    const decoded = email!.decoded.replace(/=\r?\n/g, '');
    expect(decoded).toContain(`<img src="${branding.logoUrl}" alt="Sunny SMM"`);
    expect(decoded).toContain('background: #ffdd00; color: #000000');
    expect(decoded).toContain(' Sunny SMM</p>'); // the signature

    const reset = await owner.web.request('PUT', '/admin/branding/colour', { primaryColour: null });
    expect(reset.json.primaryColour).toBeNull();
    expect((await owner.web.get('/session')).json.panel.colours.primary).toBe('#2754c5');
    const audit = await panel.db.all<{ action: string; details: string }>(brandingAudit);
    expect(
      audit.filter((row) => row.action === 'branding.colour').map((row) => JSON.parse(row.details)),
    ).toEqual([
      { before: null, after: '#ffdd00' },
      { before: '#ffdd00', after: null },
    ]);
  });
});
