import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAYMENT_SETTINGS } from '../../src/app/payments/payment-settings.js';
import { PUBLIC_LANGUAGES } from '../../src/domain/public-site.js';
import { publicText } from '../../src/http/public/public-strings.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

/** A page fetched as a crawler or a browser without JavaScript would: plain HTTP, no redirect followed. */
async function fetchPage(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; html: string }> {
  const response = await fetch(url, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** The head's SEO facts of a page. */
function headOf(html: string) {
  const attr = (pattern: RegExp) => pattern.exec(html)?.[1] ?? null;
  const decode = (text: string | null) =>
    text === null
      ? null
      : text
          .replaceAll('&quot;', '"')
          .replaceAll('&#39;', "'")
          .replaceAll('&lt;', '<')
          .replaceAll('&gt;', '>')
          .replaceAll('&amp;', '&');
  return {
    lang: attr(/<html lang="([^"]+)"/),
    dir: attr(/<html lang="[^"]+" dir="([^"]+)"/),
    title: decode(attr(/<title>([^<]*)<\/title>/)),
    description: decode(attr(/<meta name="description" content="([^"]*)">/)),
    canonical: attr(/<link rel="canonical" href="([^"]+)">/),
    og: Object.fromEntries(
      [...html.matchAll(/<meta property="(og:[a-z_:]+)" content="([^"]*)">/g)]
        .filter((m) => m[1] !== 'og:locale:alternate')
        .map((m) => [m[1], decode(m[2]!)]),
    ),
    alternates: Object.fromEntries(
      [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((m) => [
        m[1],
        m[2],
      ]),
    ),
    scripts: (html.match(/<script/gi) ?? []).length,
  };
}

describe('public pages, served as HTML', () => {
  let panel: TestPanel;
  let base: string;
  beforeAll(async () => {
    panel = await TestPanel.start();
    base = panel.baseUrl;
    await panel.createService({ name: 'Instagram Followers [HQ]', category: 'Instagram', rate: '1.25' });
    await panel.createService({
      name: 'Video <Views>',
      category: 'TikTok',
      rate: '0.00125',
      min: 100,
      max: 5000000,
    });
    await panel.createService({ name: 'Disabled service', category: 'TikTok', enabled: false });
  });
  afterAll(() => panel.close());

  it('each page in en, ru and ar: its text, title, description, canonical, Open Graph, hreflang; no script', async () => {
    const pages: [string, Record<string, string>][] = [
      ['', { en: 'Create an account', ru: 'Создать аккаунт', ar: 'أنشئ حسابًا' }],
      ['prices', { en: 'Price per 1000', ru: 'Цена за 1000', ar: 'السعر لكل 1000' }],
      ['terms', { en: 'Terms of service', ru: 'Условия использования', ar: 'شروط الخدمة' }],
      ['privacy', { en: 'Privacy policy', ru: 'Политика конфиденциальности', ar: 'سياسة الخصوصية' }],
      ['refund-policy', { en: 'Refund policy', ru: 'Правила возврата', ar: 'سياسة الاسترداد' }],
      ['faq', { en: 'Frequently asked questions', ru: 'Часто задаваемые вопросы', ar: 'الأسئلة الشائعة' }],
      ['blog', { en: 'No posts yet.', ru: 'Пока нет публикаций.', ar: 'لا توجد منشورات بعد.' }],
    ];
    for (const [path, texts] of pages) {
      for (const language of ['en', 'ru', 'ar'] as const) {
        const address = path === '' ? `/${language}/` : `/${language}/${path}`;
        const page = await fetchPage(`${base}${address}`);
        expect(page.status, address).toBe(200);
        expect(page.headers.get('content-type'), address).toBe('text/html; charset=utf-8');
        expect(page.html, address).toContain(texts[language]);
        const head = headOf(page.html);
        expect(head.lang, address).toBe(language);
        expect(head.dir, address).toBe(language === 'ar' ? 'rtl' : 'ltr');
        expect(head.title, address).toMatch(/\S/);
        expect(head.description, address).toMatch(/\S{3}/);
        expect(head.canonical, address).toBe(`${base}${address}`);
        expect(head.og, address).toMatchObject({
          'og:title': head.title,
          'og:description': head.description,
          'og:url': `${base}${address}`,
          'og:type': 'website',
          'og:site_name': 'smmkit',
          'og:locale': { en: 'en_US', ru: 'ru_RU', ar: 'ar_AR' }[language],
        });
        expect(Object.keys(head.alternates).sort(), address).toEqual(
          [...PUBLIC_LANGUAGES, 'x-default'].sort(),
        );
        expect(head.alternates['pt-BR'], address).toBe(`${base}/pt-BR/${path}`);
        expect(head.alternates['x-default'], address).toBe(`${base}/${path}`);
        expect(head.scripts, address).toBe(0);
        const policy = page.headers.get('content-security-policy') ?? '';
        expect(policy, address).toContain("script-src 'none'");
        expect(policy, address).not.toContain('unsafe-inline');
      }
    }
    // The Russian price list: the enabled services, their categories, prices per 1000 in the locale's
    // money format (exact: 0.00125 is not rounded to 0.00), min and max; a name shown as text.
    const ru = (await fetchPage(`${base}/ru/prices`)).html;
    expect(ru).toContain('<h2 id="category-0">Instagram</h2>');
    expect(ru).toContain('Instagram Followers [HQ]');
    expect(ru).toContain('Video &lt;Views&gt;');
    expect(ru).not.toContain('Disabled service');
    expect(ru).toContain(new Intl.NumberFormat('ru', { style: 'currency', currency: 'USD' }).format(1.25));
    expect(ru).toContain('0,00125');
    expect(ru).toContain(new Intl.NumberFormat('ru').format(5000000));
    const en = (await fetchPage(`${base}/en/prices`)).html;
    expect(en).toContain('$0.00125');
    expect(en).toContain('5,000,000');
    // The stylesheet the pages name is served, cached by its content's name.
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(en)![1]!;
    const sheet = await fetch(`${base}${css}`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(sheet.headers.get('cache-control')).toContain('immutable');
    expect(await sheet.text()).toContain('inset-inline-start');
  });

  it('the admin writes a page per language (content.write, audited); others fall back to the default language, then to the built-in text', async () => {
    const owner = await webUser(panel, 'owner');
    const support = await webUser(panel, 'support');
    const customer = await webUser(panel);
    const text = {
      page: 'terms',
      language: 'en',
      title: 'Our terms',
      description: 'The rules of "Acme" & co',
      body: '## Rules\n\n**Be nice.** <script>window.pwned=1</script><img src=x onerror=alert(1)> [click](javascript:alert(2)) <a href="#" onclick="alert(3)">a</a>',
    };
    expect((await support.web.request('PUT', '/admin/pages/text', text)).status).toBe(403);
    expect((await customer.web.request('PUT', '/admin/pages/text', text)).status).toBe(403);
    expect((await new WebClient(base).request('PUT', '/admin/pages/text', text)).status).toBe(401);
    expect((await owner.web.request('PUT', '/admin/pages/text', { ...text, page: 'nope' })).status).toBe(404);
    expect((await owner.web.request('PUT', '/admin/pages/text', { ...text, language: 'de' })).status).toBe(
      404,
    );
    expect((await owner.web.request('PUT', '/admin/pages/text', { ...text, title: 'a\nb' })).json.error).toBe(
      'Invalid title: one line, at most 200 characters',
    );
    expect(
      (await owner.web.request('PUT', '/admin/pages/text', { ...text, body: 'x'.repeat(50_001) })).status,
    ).toBe(400);
    // Before: the built-in terms.
    expect((await fetchPage(`${base}/ru/terms`)).html).toContain('These are default terms');
    expect((await owner.web.get('/admin/pages/text?page=terms&language=ru')).json).toMatchObject({
      title: '',
      written: false,
    });

    expect((await owner.web.request('PUT', '/admin/pages/text', text)).json).toEqual({ ok: true });
    const en = await fetchPage(`${base}/en/terms`);
    const head = headOf(en.html);
    expect(head.title).toBe('Our terms');
    expect(head.description).toBe('The rules of "Acme" & co');
    expect(en.html).toContain('<strong>Be nice.</strong>');
    expect(en.html).not.toMatch(/<script|onerror|onclick|javascript:/i);
    // Russian not written: the default language's (English) text, under the Russian address and chrome.
    const ru = await fetchPage(`${base}/ru/terms`);
    expect(ru.html).toContain('<strong>Be nice.</strong>');
    expect(headOf(ru.html).canonical).toBe(`${base}/ru/terms`);
    expect(ru.html).toContain('Условия использования');

    await owner.web.request('PUT', '/admin/pages/text', {
      page: 'terms',
      language: 'ru',
      title: '',
      description: '',
      body: 'Правила **сервиса**',
    });
    const ruOwn = await fetchPage(`${base}/ru/terms`);
    expect(ruOwn.html).toContain('Правила <strong>сервиса</strong>');
    // Empty title and description: the translated defaults.
    expect(headOf(ruOwn.html).title).toBe('Условия использования — smmkit');
    expect(headOf(ruOwn.html).description).toBe('Условия использования сервиса smmkit.');
    expect((await owner.web.get('/admin/pages/text?page=terms&language=ru')).json).toEqual({
      title: '',
      description: '',
      body: 'Правила **сервиса**',
      written: true,
    });
    const overview = (await owner.web.get('/admin/pages')).json;
    expect(overview.languages).toEqual([...PUBLIC_LANGUAGES]);
    expect(
      overview.written.map((w: { page: string; language: string }) => `${w.page}/${w.language}`),
    ).toEqual(expect.arrayContaining(['terms/en', 'terms/ru']));

    // Reset Russian: back to the English text.
    expect((await owner.web.post('/admin/pages/text/reset', { page: 'terms', language: 'ru' })).json).toEqual(
      {
        ok: true,
      },
    );
    expect((await owner.web.post('/admin/pages/text/reset', { page: 'terms', language: 'ru' })).status).toBe(
      404,
    );
    expect((await fetchPage(`${base}/ru/terms`)).html).toContain('<strong>Be nice.</strong>');

    // The preview: the same sanitizer, nothing stored.
    const preview = await owner.web.post('/admin/pages/preview', { body: text.body });
    expect(preview.json.html).toContain('<strong>Be nice.</strong>');
    expect(preview.json.html).not.toMatch(/<script|onerror|onclick|javascript:/i);
    expect((await customer.web.post('/admin/pages/preview', { body: 'x' })).status).toBe(403);

    const audit = (await owner.web.get('/admin/audit?action=public-page.save')).json;
    expect(JSON.stringify(audit)).toContain('page:terms/en');
    await owner.web.post('/admin/pages/text/reset', { page: 'terms', language: 'en' });
  });

  it('blog: published posts newest first per language, by slug; drafts and unknown slugs 404; slugs unique per language', async () => {
    const owner = await webUser(panel, 'owner');
    const post = (over: Record<string, unknown>) => ({
      language: 'en',
      slug: 'first-news',
      title: 'First news',
      description: 'What is new',
      body: 'Hello **world**',
      published: true,
      ...over,
    });
    const first = await owner.web.post('/admin/posts', post({}));
    expect(first.status).toBe(200);
    panel.clock.advance(60_000);
    const second = await owner.web.post(
      '/admin/posts',
      post({ slug: 'second-news', title: 'Second <news>' }),
    );
    const draft = await owner.web.post(
      '/admin/posts',
      post({ slug: 'draft', title: 'Draft', published: false }),
    );
    const russian = await owner.web.post(
      '/admin/posts',
      post({ language: 'ru', slug: 'first-news', title: 'Новость' }),
    );
    expect([second.status, draft.status, russian.status]).toEqual([200, 200, 200]);
    expect((await owner.web.post('/admin/posts', post({}))).json.code).toBe('POST_SLUG_TAKEN');
    expect((await owner.web.post('/admin/posts', post({ slug: 'Bad Slug' }))).json.error).toMatch(
      /^Invalid address/,
    );
    expect((await owner.web.post('/admin/posts', post({ language: 'xx', slug: 'x' }))).status).toBe(400);

    const blog = (await fetchPage(`${base}/en/blog`)).html;
    expect(blog).toContain('Second &lt;news&gt;');
    expect(blog.indexOf('Second &lt;news&gt;')).toBeLessThan(blog.indexOf('First news'));
    expect(blog).not.toContain('Draft');
    expect(blog).toContain('href="/en/blog/first-news"');
    const page = await fetchPage(`${base}/en/blog/first-news`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Hello <strong>world</strong>');
    const head = headOf(page.html);
    expect(head.og['og:type']).toBe('article');
    expect(head.title).toBe('First news — smmkit');
    expect(head.description).toBe('What is new');
    expect(head.canonical).toBe(`${base}/en/blog/first-news`);
    // In Russian: the Russian post at the same address; Russia's blog lists only its own post.
    expect((await fetchPage(`${base}/ru/blog/first-news`)).html).toContain('Новость');
    expect((await fetchPage(`${base}/ru/blog`)).html).not.toContain('Second');
    // Turkish has none: the default language's posts.
    expect((await fetchPage(`${base}/tr/blog/second-news`)).status).toBe(200);
    expect((await fetchPage(`${base}/tr/blog`)).html).toContain('Second &lt;news&gt;');

    expect((await fetchPage(`${base}/en/blog/draft`)).status).toBe(404);
    expect((await fetchPage(`${base}/en/blog/nope`)).status).toBe(404);
    expect((await fetchPage(`${base}/en/blog/${'x'.repeat(300)}`)).status).toBe(404);

    // Unpublishing hides it; publishing again keeps its first date.
    const id = first.json.id as number;
    expect((await owner.web.request('PUT', `/admin/posts/${id}`, post({ published: false }))).json).toEqual({
      ok: true,
    });
    const unpublished = await fetchPage(`${base}/en/blog/first-news`);
    expect(unpublished.status).toBe(404);
    expect(unpublished.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await owner.web.request('PUT', `/admin/posts/${id}`, post({ slug: 'second-news' }))).status).toBe(
      409,
    );
    expect((await owner.web.request('PUT', `/admin/posts/999999`, post({}))).status).toBe(404);
    await owner.web.request('PUT', `/admin/posts/${id}`, post({}));
    const listed = (await owner.web.get('/admin/posts')).json.posts;
    expect(listed.find((p: { id: number }) => p.id === id)).toMatchObject({
      published: true,
      publishedAt: new Date(panel.clock.now() - 60_000).toISOString(),
    });
    expect((await owner.web.request('DELETE', `/admin/posts/${draft.json.id}`, {})).json).toEqual({
      ok: true,
    });
    expect((await owner.web.request('DELETE', `/admin/posts/${draft.json.id}`, {})).status).toBe(404);
  });

  it('redirects unprefixed addresses to the visitor language: the cookie, else Accept-Language, else the default', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' }, '/ru/prices'],
      [{ 'accept-language': 'de-DE, pt;q=0.8, en;q=0.5' }, '/pt-BR/prices'],
      [{ 'accept-language': 'fr' }, '/en/prices'],
      [{}, '/en/prices'],
      [{ 'accept-language': 'ru', cookie: 'smmkit_lang=ar' }, '/ar/prices'],
      [{ 'accept-language': 'ru', cookie: 'smmkit_lang=zz' }, '/ru/prices'],
    ];
    for (const [headers, location] of cases) {
      const answer = await fetchPage(`${base}/prices`, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(302);
      expect(answer.headers.get('location'), JSON.stringify(headers)).toBe(location);
      expect(answer.headers.get('vary')).toMatch(/Accept-Language, Cookie/i);
    }
    for (const path of ['terms', 'privacy', 'refund-policy', 'faq', 'blog', 'blog/some-post']) {
      const answer = await fetchPage(`${base}/${path}`, { 'accept-language': 'es' });
      expect(answer.headers.get('location'), path).toBe(`/es/${path}`);
    }
    // A signed-in user's saved language comes before the cookie and the browser's.
    const user = await webUser(panel);
    expect((await user.web.request('PUT', '/account/language', { language: 'hi' })).status).toBe(200);
    const saved = await fetchPage(`${base}/terms`, {
      cookie: `${user.web.cookie!}; smmkit_lang=ru`,
      'accept-language': 'es',
    });
    expect(saved.headers.get('location')).toBe('/hi/terms');
    // The panel's default language for a visitor who names none of ours.
    const owner = await webUser(panel, 'owner');
    await owner.web.request('PUT', '/admin/pages/settings', {
      tagline: '',
      hidePriceList: false,
      defaultLanguage: 'tr',
    });
    expect((await fetchPage(`${base}/faq`, { 'accept-language': 'fr' })).headers.get('location')).toBe(
      '/tr/faq',
    );
    await owner.web.request('PUT', '/admin/pages/settings', {
      tagline: '',
      hidePriceList: false,
      defaultLanguage: 'en',
    });
  });

  it('/ is the landing page for a visitor (in their language) and the web panel for a signed-in user', async () => {
    const visitor = await fetchPage(`${base}/`, { 'accept-language': 'ar' });
    expect(visitor.status).toBe(200);
    expect(visitor.html).toContain('<html lang="ar" dir="rtl">');
    expect(visitor.html).toContain('أنشئ حسابًا');
    expect(visitor.html).toContain('href="/signup"');
    expect(visitor.html).toContain('href="/login"');
    expect(headOf(visitor.html).canonical).toBe(`${base}/ar/`);
    expect(visitor.headers.get('vary')).toMatch(/Accept-Language, Cookie/i);
    expect(headOf(visitor.html).scripts).toBe(0);
    // A stale session cookie is a visitor.
    const stale = await fetchPage(`${base}/`, { cookie: 'smmkit_session=nope' });
    expect(stale.html).toContain('Create an account');

    const user = await webUser(panel);
    const signedIn = await fetchPage(`${base}/`, { cookie: user.web.cookie! });
    expect(signedIn.status).toBe(200);
    expect(signedIn.html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    expect(signedIn.headers.get('vary')).toMatch(/cookie/i);
    // The web panel's own routes stay the web panel's.
    for (const path of ['/login', '/signup', '/services', '/orders']) {
      const spa = await fetchPage(`${base}${path}`);
      expect(spa.status, path).toBe(200);
      expect(spa.html, path).toMatch(/<script type="module"/);
    }
  });

  it('the tagline shows on the landing page; a hidden price list answers 404 and leaves the menus and the sitemap', async () => {
    const owner = await webUser(panel, 'owner');
    const saved = await owner.web.request('PUT', '/admin/pages/settings', {
      tagline: 'Cheap <fast> growth',
      hidePriceList: true,
      defaultLanguage: 'en',
    });
    expect(saved.json).toEqual({
      tagline: 'Cheap <fast> growth',
      hidePriceList: true,
      defaultLanguage: 'en',
    });
    expect(
      (
        await owner.web.request('PUT', '/admin/pages/settings', {
          tagline: '',
          hidePriceList: true,
          defaultLanguage: 'de',
        })
      ).status,
    ).toBe(400);
    const landing = (await fetchPage(`${base}/en/`)).html;
    expect(landing).toContain('<p class="tagline">Cheap &lt;fast&gt; growth</p>');
    expect(landing).not.toContain('/en/prices');
    for (const language of ['en', 'ru', 'ar']) {
      const hidden = await fetchPage(`${base}/${language}/prices`);
      expect(hidden.status, language).toBe(404);
      expect(hidden.html, language).toContain(publicText(language as 'en', 'notFound.title'));
    }
    expect(await (await fetch(`${base}/sitemap.xml`)).text()).not.toContain('/prices');
    await owner.web.request('PUT', '/admin/pages/settings', {
      tagline: '',
      hidePriceList: false,
      defaultLanguage: 'en',
    });
    expect((await fetchPage(`${base}/en/prices`)).status).toBe(200);
  });

  it('unknown languages and pages are an HTML 404, never a 500', async () => {
    for (const path of [
      '/en/nope',
      '/ru/terms/extra',
      '/de/terms',
      '/xx/prices',
      '/ar/blog/a/b',
      '/pt-br/faq',
    ]) {
      const answer = await fetchPage(`${base}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(answer.html, path).toMatch(/<html lang="[a-zA-Z-]+"/);
      expect(answer.html, path).toContain('<meta name="robots" content="noindex">');
    }
    expect((await fetchPage(`${base}/ru/nope`)).html).toContain('Страница не найдена');
  });
});

describe('sitemap.xml and robots.txt', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start({
      payments: { ...DEFAULT_PAYMENT_SETTINGS, publicUrl: 'https://panel.example' },
    });
  });
  afterAll(() => panel.close());

  it('list every page in every language with alternates, and published posts, from SMMKIT_PUBLIC_URL', async () => {
    const owner = await webUser(panel, 'owner');
    const post = { description: '', body: 'text', title: 'T' };
    await owner.web.post('/admin/posts', { ...post, language: 'en', slug: 'launch', published: true });
    await owner.web.post('/admin/posts', { ...post, language: 'ru', slug: 'only-ru', published: true });
    await owner.web.post('/admin/posts', { ...post, language: 'en', slug: 'secret', published: false });

    const response = await fetch(`${panel.baseUrl}/sitemap.xml`);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await response.text();
    expect(xml).toContain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    for (const language of PUBLIC_LANGUAGES) {
      for (const path of ['', 'prices', 'terms', 'privacy', 'refund-policy', 'faq', 'blog', 'blog/launch'])
        expect(locs).toContain(`https://panel.example/${language}/${path}`);
    }
    expect(locs).toContain('https://panel.example/ru/blog/only-ru');
    expect(locs).not.toContain('https://panel.example/en/blog/only-ru');
    expect(xml).not.toContain('secret');
    expect(locs).toHaveLength(7 * 8 + 1);
    const entry = /<url><loc>https:\/\/panel\.example\/ar\/terms<\/loc>(.*?)<\/url>/.exec(xml)![1]!;
    expect(entry).toContain(
      '<xhtml:link rel="alternate" hreflang="ru" href="https://panel.example/ru/terms"/>',
    );
    expect(entry).toContain(
      '<xhtml:link rel="alternate" hreflang="x-default" href="https://panel.example/terms"/>',
    );

    // The pages' own canonical URLs come from SMMKIT_PUBLIC_URL too.
    const page = await fetchPage(`${panel.baseUrl}/ru/faq`);
    expect(headOf(page.html).canonical).toBe('https://panel.example/ru/faq');
    const onlyRu = headOf((await fetchPage(`${panel.baseUrl}/ru/blog/only-ru`)).html);
    expect(Object.keys(onlyRu.alternates)).toEqual(['ru']);

    const robots = await fetch(`${panel.baseUrl}/robots.txt`);
    expect(robots.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await robots.text();
    expect(text).toContain('User-agent: *');
    expect(text).toContain('Allow: /');
    for (const closed of ['/web-api/', '/api/', '/admin', '/admin-api/'])
      expect(text).toContain(`Disallow: ${closed}\n`);
    expect(text).toContain('Sitemap: https://panel.example/sitemap.xml');
  });
});
