import type { PublicPriceCategory } from '../../app/public-pages/list-public-prices.js';
import type { PublicSiteSettings } from '../../app/public-pages/public-site-settings.js';
import type { ResolvedPageText } from '../../app/public-pages/read-page-text.js';
import type { PublicPost as BlogPost } from '../../app/public-pages/read-published-posts.js';
import { type PublicLanguage, type PublicPage, textDirection } from '../../domain/public-site.js';
import { escapeHtml, localPath } from './page-frame.js';
import { publicText } from './public-strings.js';

/** What a view gives the frame: the head's title and description, the Open Graph type, the content. */
export interface PageView {
  readonly title: string;
  readonly description: string;
  readonly ogType: 'website' | 'article';
  readonly main: string;
}

type Text = (key: string, values?: Record<string, string | number>) => string;

function textsOf(language: PublicLanguage, site: PublicSiteSettings): { raw: Text; html: Text } {
  const raw: Text = (key, values = {}) => publicText(language, key, { panel: site.panelName, ...values });
  return { raw, html: (key, values) => escapeHtml(raw(key, values)) };
}

/** The admin's title and description of a page, else its translated defaults. */
function headOf(page: PublicPage, text: ResolvedPageText, raw: Text, site: PublicSiteSettings) {
  const defaultTitle = page === 'home' ? site.panelName : raw(`page.${page}.title`);
  return {
    heading: text.title ?? defaultTitle,
    title:
      page === 'home' || text.title !== null
        ? (text.title ?? defaultTitle)
        : `${defaultTitle} — ${site.panelName}`,
    description: text.description ?? raw(`page.${page}.description`),
  };
}

/**
 * The body's container: marked with the body's own language and direction when it is not the
 * page's (a fallback text), so an English default reads left to right on an Arabic page.
 */
function prose(language: PublicLanguage, text: ResolvedPageText): string {
  const foreign =
    text.language === language ? '' : ` lang="${text.language}" dir="${textDirection(text.language)}"`;
  return `<div class="prose"${foreign}>${text.html}</div>`;
}

/** A price as the page's locale writes money: exact (the decimal text goes to Intl as it is). */
export function formatPrice(language: PublicLanguage, amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(language, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 5,
      // Intl formats a decimal string without going through a float (ECMA-402 NumberFormat v3).
    }).format(amount as unknown as number);
  } catch {
    // A currency code Intl does not know: the number in the locale, then the code.
    const number = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 5 });
    return `${number.format(amount as unknown as number)} ${currency}`;
  }
}

/** An average time in the page's locale: the two largest units (days, hours, minutes, seconds). */
export function formatDuration(language: PublicLanguage, seconds: number | null): string {
  if (seconds === null || seconds < 0) return '—';
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [size, unit] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (parts.length > 0 && parts.length < 2))
      parts.push(
        new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' }).format(count),
      );
    if (parts.length === 2) break;
  }
  return parts.length === 0
    ? new Intl.NumberFormat(language, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(0)
    : parts.join(' ');
}

function formatNumber(language: PublicLanguage, value: number): string {
  return new Intl.NumberFormat(language).format(value);
}

function formatDate(language: PublicLanguage, ms: number): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(ms);
}

/** The landing page: the panel's name, its tagline, the highlights (the admin's body), sign up and log in. */
export function landingView(
  language: PublicLanguage,
  site: PublicSiteSettings,
  text: ResolvedPageText,
): PageView {
  const { raw, html } = textsOf(language, site);
  const head = headOf('home', text, raw, site);
  const tagline = site.tagline === '' ? '' : `<p class="tagline">${escapeHtml(site.tagline)}</p>`;
  const prices = site.hidePriceList
    ? ''
    : `<a class="button" href="${localPath(language, 'prices')}">${html('landing.prices')}</a>`;
  const highlights =
    text.html === ''
      ? ''
      : `<section class="card" aria-labelledby="highlights"><h2 id="highlights">${html('landing.highlights')}</h2>${prose(language, text)}</section>`;
  return {
    title: head.title,
    description: head.description,
    ogType: 'website',
    main: `<h1>${escapeHtml(head.heading)}</h1>
${tagline}
<p class="actions"><a class="button primary" href="/signup">${html('landing.signup')}</a> <a class="button" href="/login">${html('landing.login')}</a> ${prices}</p>
${highlights}`,
  };
}

/** Terms, Privacy, Refund policy and FAQ: a heading and the admin's (or the built-in) body. */
export function textPageView(
  language: PublicLanguage,
  site: PublicSiteSettings,
  page: PublicPage,
  text: ResolvedPageText,
): PageView {
  const { raw } = textsOf(language, site);
  const head = headOf(page, text, raw, site);
  return {
    title: head.title,
    description: head.description,
    ogType: 'website',
    main: `<h1>${escapeHtml(head.heading)}</h1>\n${prose(language, text)}`,
  };
}

/** The public price list: one table per category, prices per 1000 in the panel's currency. */
export function pricesView(
  language: PublicLanguage,
  site: PublicSiteSettings,
  text: ResolvedPageText,
  categories: readonly PublicPriceCategory[],
): PageView {
  const { raw, html } = textsOf(language, site);
  const head = headOf('prices', text, raw, site);
  const sections = categories.map((category, index) => {
    const rows = category.services
      .map(
        (service) =>
          `<tr><td>${service.id}</td><td>${escapeHtml(service.name)}</td><td class="number">${escapeHtml(
            formatPrice(language, service.rate, site.currency),
          )}</td><td class="number">${escapeHtml(formatNumber(language, service.min))}</td><td class="number">${escapeHtml(
            formatNumber(language, service.max),
          )}</td><td class="number">${escapeHtml(formatDuration(language, service.averageTimeSeconds))}</td></tr>`,
      )
      .join('\n');
    return `<section aria-labelledby="category-${index}"><h2 id="category-${index}">${escapeHtml(category.name)}</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">ID</th><th scope="col">${html('prices.service')}</th><th scope="col" class="number">${html(
      'prices.rate',
    )}</th><th scope="col" class="number">${html('prices.min')}</th><th scope="col" class="number">${html(
      'prices.max',
    )}</th><th scope="col" class="number">${html('prices.time')}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div></section>`;
  });
  const intro = text.html === '' ? '' : `${prose(language, text)}`;
  const list = categories.length === 0 ? `<p>${html('prices.empty')}</p>` : sections.join('\n');
  return {
    title: head.title,
    description: head.description,
    ogType: 'website',
    main: `<h1>${escapeHtml(head.heading)}</h1>\n${intro}\n<p class="muted">${html('prices.note', {
      currency: site.currency,
    })}</p>\n${list}`,
  };
}

/** The blog: published posts, newest first, each with its date and description. */
export function blogView(
  language: PublicLanguage,
  site: PublicSiteSettings,
  text: ResolvedPageText,
  posts: readonly BlogPost[],
): PageView {
  const { raw, html } = textsOf(language, site);
  const head = headOf('blog', text, raw, site);
  const items = posts
    .map(
      (post) =>
        `<li><article lang="${post.language}"><h2><a href="${localPath(language, `blog/${post.slug}`)}">${escapeHtml(
          post.title,
        )}</a></h2><p class="muted">${html('blog.published', {
          date: formatDate(language, post.publishedAt ?? post.createdAt),
        })}</p>${post.description === '' ? '' : `<p>${escapeHtml(post.description)}</p>`}</article></li>`,
    )
    .join('\n');
  const intro = text.html === '' ? '' : `${prose(language, text)}`;
  return {
    title: head.title,
    description: head.description,
    ogType: 'website',
    main: `<h1>${escapeHtml(head.heading)}</h1>\n${intro}\n${
      posts.length === 0 ? `<p>${html('blog.empty')}</p>` : `<ul class="posts">\n${items}\n</ul>`
    }`,
  };
}

/** One post: its title, date and body. */
export function postView(language: PublicLanguage, site: PublicSiteSettings, post: BlogPost): PageView {
  const { html } = textsOf(language, site);
  return {
    title: `${post.title} — ${site.panelName}`,
    description: post.description === '' ? post.title : post.description,
    ogType: 'article',
    main: `<article lang="${post.language}"><h1>${escapeHtml(post.title)}</h1>
<p class="muted">${html('blog.published', { date: formatDate(language, post.publishedAt ?? post.createdAt) })}</p>
<div class="prose">${post.bodyHtml}</div></article>
<p><a href="${localPath(language, 'blog')}">${html('blog.all')}</a></p>`,
  };
}

/** The 404 page, in the language of the address (or the visitor's). */
export function notFoundView(language: PublicLanguage, site: PublicSiteSettings): PageView {
  const { raw, html } = textsOf(language, site);
  return {
    title: `${raw('notFound.title')} — ${site.panelName}`,
    description: raw('notFound.text'),
    ogType: 'website',
    main: `<h1>${html('notFound.title')}</h1>\n<p>${html('notFound.text')}</p>\n<p><a href="${localPath(
      language,
      '',
    )}">${html('notFound.home')}</a></p>`,
  };
}
