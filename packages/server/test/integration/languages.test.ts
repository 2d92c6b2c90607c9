import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

/** The session's language: the user's saved choice, else the visitor's cookie, else Accept-Language, else the panel's default. */
describe('languages', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(async () => {
    await panel.close();
  });

  const sessionOf = async (headers: Record<string, string>) => {
    const response = await fetch(`${panel.baseUrl}/web-api/session`, {
      headers: { accept: 'application/json', ...headers },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { language: string; panel: { defaultLanguage: string } };
  };

  it('answers a visitor in the best language their browser asks for, else the panel default', async () => {
    expect((await sessionOf({})).language).toBe('en');
    expect((await sessionOf({ 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' })).language).toBe('ru');
    expect((await sessionOf({ 'accept-language': 'de-DE, pt;q=0.7, ar;q=0.5' })).language).toBe('pt-BR');
    expect((await sessionOf({ 'accept-language': 'fr, ar;q=0.1, tr;q=0.3' })).language).toBe('tr');
    expect((await sessionOf({ 'accept-language': 'ar;q=0, es' })).language).toBe('es');
    // Nothing it can use, or nonsense: the default, never an error.
    expect((await sessionOf({ 'accept-language': 'de, fr;q=0.5' })).language).toBe('en');
    expect((await sessionOf({ 'accept-language': ';;;q=abc,,,' })).language).toBe('en');
  });

  it('a visitor cookie beats the browser; an unknown cookie value is ignored', async () => {
    expect((await sessionOf({ cookie: 'smmkit_lang=ar', 'accept-language': 'ru' })).language).toBe('ar');
    expect((await sessionOf({ cookie: 'smmkit_lang=xx', 'accept-language': 'ru' })).language).toBe('ru');
  });

  it('saves a signed-in user choice, which beats cookie and browser; null forgets it', async () => {
    const { web } = await webUser(panel);
    expect((await web.get('/session')).json.user.language).toBeNull();
    const saved = await web.request('PUT', '/account/language', { language: 'hi' });
    expect(saved.status).toBe(200);
    expect(saved.json).toEqual({ language: 'hi' });
    const session = await web.request('GET', '/session');
    expect(session.json.user.language).toBe('hi');
    expect(session.json.language).toBe('hi');

    const forgot = await web.request('PUT', '/account/language', { language: null });
    expect(forgot.json, JSON.stringify(forgot.json)).toEqual({ language: null });
    expect((await web.get('/session')).json.language).toBe('en');
  });

  it('refuses a language the panel does not speak, changing nothing', async () => {
    const { web } = await webUser(panel);
    await web.request('PUT', '/account/language', { language: 'ru' });
    for (const body of [{ language: 'de' }, { language: 'RU' }, { language: 5 }, {}]) {
      const refused = await web.request('PUT', '/account/language', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(typeof refused.json.error).toBe('string');
    }
    expect((await web.get('/session')).json.user.language).toBe('ru');
  });

  it('needs a session and the CSRF token to save a choice', async () => {
    const visitor = new WebClient(panel.baseUrl);
    expect((await visitor.request('PUT', '/account/language', { language: 'ru' })).status).toBe(401);
    const { web } = await webUser(panel);
    const noCsrf = await web.request('PUT', '/account/language', { language: 'ru' }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect((await web.get('/session')).json.user.language).toBeNull();
  });

  it('the owner sets the panel default language; a customer may not', async () => {
    const owner = await webUser(panel, 'admin');
    const customer = await webUser(panel);
    const refused = await customer.web.request('PUT', '/admin/settings', {
      panelName: 'P',
      defaultLanguage: 'es',
    });
    expect(refused.status).toBe(403);
    const bad = await owner.web.request('PUT', '/admin/settings', { panelName: 'P', defaultLanguage: 'xx' });
    expect(bad.status).toBe(400);
    expect((await sessionOf({})).panel.defaultLanguage).toBe('en');

    const saved = await owner.web.request('PUT', '/admin/settings', {
      panelName: 'Panel',
      defaultLanguage: 'es',
    });
    expect(saved.status).toBe(200);
    expect(saved.json.defaultLanguage).toBe('es');
    const visitor = await sessionOf({});
    expect(visitor.panel.defaultLanguage).toBe('es');
    expect(visitor.language).toBe('es');
    // The browser still wins over the default; a name-only save keeps the default.
    expect((await sessionOf({ 'accept-language': 'ru' })).language).toBe('ru');
    await owner.web.request('PUT', '/admin/settings', { panelName: 'Panel 2' });
    expect((await sessionOf({})).language).toBe('es');
    await owner.web.request('PUT', '/admin/settings', { panelName: 'smmkit', defaultLanguage: 'en' });
  });
});
