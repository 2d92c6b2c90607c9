import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

describe('announcements', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('the admin posts Markdown rendered to sanitized HTML; customers see it unread until they read it', async () => {
    const owner = await webUser(panel, 'owner');
    const support = await webUser(panel, 'support');
    const alice = await webUser(panel);
    expect((await alice.web.get('/announcements')).json).toEqual({ announcements: [], unread: 0 });

    const body =
      '**New:** TikTok views\n\n<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))';
    expect((await support.web.post('/admin/announcements', { title: 'News', body })).status).toBe(403);
    expect((await alice.web.post('/admin/announcements', { title: 'News', body })).status).toBe(403);
    expect((await owner.web.post('/admin/announcements', { title: ' ', body })).json.error).toBe(
      'Invalid title: 1-200 characters',
    );
    const posted = await owner.web.post('/admin/announcements', { title: 'TikTok views are here', body });
    expect(posted.status).toBe(200);
    const id = posted.json.id as number;

    const seen = await alice.web.get('/announcements');
    expect(seen.json.unread).toBe(1);
    const [shown] = seen.json.announcements;
    expect(shown).toMatchObject({ id, title: 'TikTok views are here', unread: true });
    expect(shown.html).toContain('<strong>New:</strong>');
    expect(shown.html).not.toMatch(/<script|onerror|href="javascript:/i);

    expect((await alice.web.post('/announcements/read')).json).toEqual({ ok: true });
    expect((await alice.web.get('/announcements')).json).toMatchObject({
      unread: 0,
      announcements: [{ id, unread: false }],
    });
    const second = (await owner.web.post('/admin/announcements', { title: 'Second', body: 'more' })).json
      .id as number;
    expect((await alice.web.get('/announcements')).json).toMatchObject({
      unread: 1,
      announcements: [
        { id: second, unread: true },
        { id, unread: false },
      ],
    });

    expect((await owner.web.get('/admin/announcements')).json.announcements[1]).toMatchObject({ id, body });
    expect((await owner.web.request('DELETE', `/admin/announcements/${second}`, {})).json).toEqual({
      ok: true,
    });
    expect((await owner.web.request('DELETE', `/admin/announcements/${second}`, {})).status).toBe(404);
    expect((await alice.web.get('/announcements')).json.unread).toBe(0);
    expect((await new WebClient(panel.baseUrl).get('/announcements')).status).toBe(401);
  });

  it('previews a draft with the same sanitizer (content.write only, nothing stored); reading stops at the newest shown', async () => {
    const owner = await webUser(panel, 'owner');
    const support = await webUser(panel, 'support');
    const bob = await webUser(panel);
    const draft = '_Soon_ <script>alert(1)</script> [x](javascript:alert(2))';
    const preview = await owner.web.post('/admin/announcements/preview', { body: draft });
    expect(preview.status).toBe(200);
    expect(preview.json.html).toContain('<em>Soon</em>');
    expect(preview.json.html).not.toMatch(/<script|javascript:/i);
    expect((await owner.web.post('/admin/announcements/preview', { body: '  ' })).json).toEqual({ html: '' });
    expect((await support.web.post('/admin/announcements/preview', { body: draft })).status).toBe(403);
    expect((await bob.web.post('/admin/announcements/preview', { body: draft })).status).toBe(403);
    expect((await owner.web.post('/admin/announcements/preview', { body: 'x'.repeat(20_001) })).status).toBe(
      400,
    );
    const before = (await owner.web.get('/admin/announcements')).json.announcements.length;

    const shown = (await owner.web.post('/admin/announcements', { title: 'Shown', body: 'one' })).json
      .id as number;
    const seen = (await bob.web.get('/announcements')).json;
    expect(seen.announcements[0]).toMatchObject({ id: shown, unread: true });
    // Posted after bob's page was shown: reading up to what he saw leaves it new.
    const later = (await owner.web.post('/admin/announcements', { title: 'Later', body: 'two' })).json
      .id as number;
    expect((await bob.web.post('/announcements/read', { upTo: shown })).json).toEqual({ ok: true });
    const after = (await bob.web.get('/announcements')).json;
    expect(after.unread).toBe(1);
    expect(after.announcements.slice(0, 2)).toMatchObject([
      { id: later, unread: true },
      { id: shown, unread: false },
    ]);
    // Never backwards, and never past the newest.
    await bob.web.post('/announcements/read', { upTo: 1 });
    expect((await bob.web.get('/announcements')).json.unread).toBe(1);
    expect((await bob.web.post('/announcements/read', { upTo: 'all' })).status).toBe(400);
    await bob.web.post('/announcements/read', { upTo: later + 1000 });
    expect((await bob.web.get('/announcements')).json.unread).toBe(0);
    expect((await owner.web.get('/admin/announcements')).json.announcements).toHaveLength(before + 2);
  });
});
