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
});
