import { Marked } from 'marked';
import xss, { FilterXSS, type SafeAttrValueHandler } from 'xss';

// xss is CommonJS: Node finds FilterXSS as a named export, but not the defaults it copies in a loop.
const { safeAttrValue } = xss as unknown as { safeAttrValue: SafeAttrValueHandler };

const SAFE_URL = /^(https?:|mailto:|\/|#)/i;

const markdown = new Marked({ gfm: true, breaks: true, async: false });

// What an announcement may hold: text formatting, lists, headings, quotes, code, links and
// images over http(s). Everything else (scripts, styles, event handlers, iframes, javascript:
// URLs) is removed by the sanitizer, whatever the Markdown let through.
const sanitizer = new FilterXSS({
  whiteList: {
    p: [],
    br: [],
    hr: [],
    strong: [],
    em: [],
    del: [],
    code: [],
    pre: [],
    blockquote: [],
    ul: [],
    ol: ['start'],
    li: [],
    h1: [],
    h2: [],
    h3: [],
    h4: [],
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    table: [],
    thead: [],
    tbody: [],
    tr: [],
    th: [],
    td: [],
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style'],
  // A link or image to anything else (javascript:, data:…) loses the attribute altogether: an empty
  // `href` would still be a link, to the page itself.
  onTagAttr: (_tag, name, value) => {
    if ((name === 'href' || name === 'src') && !SAFE_URL.test(value.trim())) return '';
    return undefined;
  },
  safeAttrValue: (tag, name, value, cssFilter) => {
    if ((name === 'href' || name === 'src') && !SAFE_URL.test(value.trim())) return '';
    return safeAttrValue(tag, name, value, cssFilter);
  },
});

/** An announcement's Markdown as sanitized HTML. */
export function renderAnnouncement(body: string): string {
  return sanitizer.process(markdown.parse(body) as string);
}
