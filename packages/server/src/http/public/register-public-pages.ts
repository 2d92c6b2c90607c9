import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listPublicPrices } from '../../app/public-pages/list-public-prices.js';
import {
  type PublicSiteSettings,
  readPublicSiteSettings,
} from '../../app/public-pages/public-site-settings.js';
import { readPageText } from '../../app/public-pages/read-page-text.js';
import {
  listPostAddresses,
  readPublishedPost,
  readPublishedPosts,
} from '../../app/public-pages/read-published-posts.js';
import { findSession } from '../../app/sessions/find-session.js';
import {
  PAGE_PATHS,
  PUBLIC_LANGUAGES,
  PUBLIC_PAGES,
  type PublicLanguage,
  type PublicPage,
  isSlug,
} from '../../domain/public-site.js';
import { LANGUAGE_COOKIE } from '@smmkit/contract/languages';
import { languageOfRequest } from '../../app/languages/language-of-request.js';
import type { Panel } from '../../panel.js';
import { publicUrlOf } from '../web/customer/payments.js';
import { PUBLIC_CONTENT_SECURITY_POLICY } from '../web/security-headers.js';
import { readCookie, readSessionCookie } from '../web/session-cookie.js';
import {
  type PageView,
  blogView,
  landingView,
  notFoundView,
  postView,
  pricesView,
  textPageView,
} from './page-views.js';
import { renderPageFrame } from './page-frame.js';
import { renderRobots, renderSitemap } from './sitemap.js';
import { SITE_CSS, SITE_CSS_PATH } from './site-css.js';

const HTML = 'text/html; charset=utf-8';

/** Headers of every public HTML page: the SPA's protections, no script allowed at all. */
function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', HTML)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .header('content-security-policy', PUBLIC_CONTENT_SECURITY_POLICY)
    .send(html);
}

/**
 * The language the visitor reads: a signed-in user's saved choice, else the language cookie, else
 * Accept-Language, else the panel's default (the web panel's own rule, app/languages).
 */
function visitorLanguage(
  request: FastifyRequest,
  site: PublicSiteSettings,
  userLanguage: string | null = null,
): PublicLanguage {
  return languageOfRequest({
    userLanguage,
    cookieLanguage: readCookie(request, LANGUAGE_COOKIE),
    acceptLanguage: request.headers['accept-language'],
    panelDefault: site.defaultLanguage,
  });
}

/** Public paths under a language prefix that name no page (`/ru/nope`, `/xx/terms`): an HTML 404. */
const PUBLIC_PAGE_NAMES = PUBLIC_PAGES.map((page) => PAGE_PATHS[page]).filter((path) => path !== '');
const LANGUAGE_LIKE = new RegExp(
  `^/[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?/(?:${PUBLIC_PAGE_NAMES.join('|')})(?:/|$)`,
);

/**
 * The public site (README › Public pages): server-rendered HTML, readable without JavaScript and
 * loading none, under `/{language}/…` for each language; unprefixed addresses redirect to the
 * visitor's language; `/` is the landing page for visitors and the web panel for signed-in users;
 * /sitemap.xml and /robots.txt. `sendSpa` answers with the web panel's index.html.
 */
export function registerPublicPages(
  app: FastifyInstance,
  panel: Panel,
  sendSpa: (request: FastifyRequest, reply: FastifyReply, vary?: string) => boolean,
): { serveNotFound: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean> } {
  const ctx = panel.ctx;
  const originOf = (request: FastifyRequest) => publicUrlOf(panel, request);

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    language: PublicLanguage,
    site: PublicSiteSettings,
    path: string,
    view: PageView,
    options: { status?: number; notFound?: boolean; languages?: readonly PublicLanguage[] } = {},
  ) =>
    sendHtml(
      reply,
      options.status ?? 200,
      renderPageFrame({
        language,
        site,
        origin: originOf(request),
        path,
        ...view,
        ...(options.notFound === true ? { notFound: true } : {}),
        ...(options.languages === undefined ? {} : { languages: options.languages }),
      }),
    );

  const notFound = (
    request: FastifyRequest,
    reply: FastifyReply,
    language: PublicLanguage,
    site: PublicSiteSettings,
  ) =>
    render(request, reply, language, site, '', notFoundView(language, site), { status: 404, notFound: true });

  /** One page in one language. */
  const servePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: PublicPage,
    language: PublicLanguage,
  ): Promise<FastifyReply> => {
    const site = await readPublicSiteSettings(ctx);
    if (page === 'prices' && site.hidePriceList) return notFound(request, reply, language, site);
    const text = await readPageText(ctx, page, language, site);
    let view: PageView;
    if (page === 'home') view = landingView(language, site, text);
    else if (page === 'prices') view = pricesView(language, site, text, await listPublicPrices(ctx));
    else if (page === 'blog')
      view = blogView(language, site, text, await readPublishedPosts(ctx, language, site.defaultLanguage));
    else view = textPageView(language, site, page, text);
    return render(request, reply, language, site, PAGE_PATHS[page], view);
  };

  const servePost = async (
    request: FastifyRequest,
    reply: FastifyReply,
    language: PublicLanguage,
    slug: string,
  ) => {
    const site = await readPublicSiteSettings(ctx);
    const post = isSlug(slug) ? await readPublishedPost(ctx, language, site.defaultLanguage, slug) : null;
    if (post === null) return notFound(request, reply, language, site);
    const address = (await listPostAddresses(ctx, site.defaultLanguage)).find((entry) => entry.slug === slug);
    return render(request, reply, language, site, `blog/${slug}`, postView(language, site, post), {
      languages: address?.languages ?? [language],
    });
  };

  app.get(SITE_CSS_PATH, (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(SITE_CSS),
  );

  for (const language of PUBLIC_LANGUAGES) {
    for (const page of PUBLIC_PAGES) {
      const path = PAGE_PATHS[page];
      app.get(path === '' ? `/${language}` : `/${language}/${path}`, (request, reply) =>
        servePage(request, reply, page, language),
      );
    }
    app.get<{ Params: { slug: string } }>(`/${language}/blog/:slug`, (request, reply) =>
      servePost(request, reply, language, request.params.slug),
    );
    app.get(`/${language}/*`, async (request, reply) =>
      notFound(request, reply, language, await readPublicSiteSettings(ctx)),
    );
  }

  // Unprefixed addresses: to the visitor's language. Vary, so a cache keeps one answer per language.
  const redirect = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    const session = await findSession(ctx, readSessionCookie(request));
    const language = visitorLanguage(request, await readPublicSiteSettings(ctx), session?.language ?? null);
    return reply
      .header('vary', 'Accept-Language, Cookie')
      .header('cache-control', 'private, no-cache')
      .redirect(`/${language}/${path}`, 302);
  };
  for (const page of PUBLIC_PAGES) {
    const path = PAGE_PATHS[page];
    if (path !== '') app.get(`/${path}`, (request, reply) => redirect(request, reply, path));
  }
  app.get<{ Params: { slug: string } }>('/blog/:slug', (request, reply) =>
    redirect(request, reply, `blog/${encodeURIComponent(request.params.slug)}`),
  );

  // `/`: the landing page in the visitor's language, or the web panel for a signed-in user.
  app.get('/', async (request, reply) => {
    const session = await findSession(ctx, readSessionCookie(request));
    if (session !== null) {
      if (sendSpa(request, reply, 'accept-encoding, cookie')) return reply;
      return reply.code(404).send({ error: 'The web panel is not built: run npm run build' });
    }
    const site = await readPublicSiteSettings(ctx);
    const language = visitorLanguage(request, site);
    const text = await readPageText(ctx, 'home', language, site);
    void reply.header('vary', 'Accept-Language, Cookie');
    return render(request, reply, language, site, '', landingView(language, site, text));
  });

  app.get('/sitemap.xml', async (request, reply) => {
    const site = await readPublicSiteSettings(ctx);
    const posts = await listPostAddresses(ctx, site.defaultLanguage);
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(renderSitemap(originOf(request), site, posts));
  });

  app.get('/robots.txt', (request, reply) =>
    reply.header('content-type', 'text/plain; charset=utf-8').send(renderRobots(originOf(request))),
  );

  return {
    async serveNotFound(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const path = request.url.split('?')[0] ?? '';
      if (!LANGUAGE_LIKE.test(path)) return false;
      const site = await readPublicSiteSettings(ctx);
      await notFound(request, reply, visitorLanguage(request, site), site);
      return true;
    },
  };
}
