import { createHash } from 'node:crypto';

/**
 * The public pages' one stylesheet, served by the panel at SITE_CSS_PATH (no CDN, no app
 * JavaScript). Logical properties (inline/block, start/end) throughout, so an Arabic page mirrors
 * with `dir="rtl"` alone; tables scroll inside their own box so a phone's page never does.
 */
export const SITE_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Devanagari",sans-serif;line-height:1.6;color:#1d2430;background:#f6f7fb;overflow-wrap:break-word}
a{color:#2347c5}
a:focus-visible,button:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:1rem;inset-block-start:1rem;background:#fff;padding:.5rem 1rem;z-index:2}
.site-header,.site-footer,main{max-inline-size:68rem;margin-inline:auto;padding-inline:1rem}
.site-header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem;padding-block:1rem}
.brand{font-weight:700;font-size:1.25rem;color:inherit;text-decoration:none}
.site-nav ul,.site-footer ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.site-nav a{text-decoration:none;font-weight:500}
.button{display:inline-block;padding:.55rem 1.1rem;border-radius:.4rem;border:1px solid #2347c5;text-decoration:none;font-weight:600}
.button.primary{background:#2347c5;color:#fff}
main{padding-block:1rem 3rem}
h1{font-size:clamp(1.6rem,5vw,2.4rem);line-height:1.2;margin-block:1rem}
.tagline{font-size:1.2rem;color:#4a5568;margin-block-start:0}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-block:1.5rem}
.card{background:#fff;border:1px solid #dde1ea;border-radius:.6rem;padding:1rem 1.25rem;margin-block:1rem}
.prose img{max-inline-size:100%;block-size:auto}
.prose pre{overflow-x:auto;background:#eef0f5;padding:.75rem}
.prose blockquote{margin-inline:0;padding-inline-start:1rem;border-inline-start:4px solid #c9cfdc}
.table-wrap{overflow-x:auto;max-inline-size:100%}
table{border-collapse:collapse;inline-size:100%;background:#fff}
th,td{padding:.5rem .6rem;border-block-end:1px solid #e3e6ee;text-align:start;vertical-align:top}
td.number,th.number{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}
.muted{color:#5b6475}
.posts{list-style:none;padding:0}
.posts li{margin-block:1.25rem}
.site-footer{border-block-start:1px solid #dde1ea;padding-block:1.5rem;font-size:.95rem}
.site-footer nav+nav{margin-block-start:.75rem}
@media (max-width:40rem){.site-header{flex-direction:column;align-items:flex-start}th,td{padding:.4rem}}
`;

/** The stylesheet's address, named by its content so it can be cached for a year. */
export const SITE_CSS_PATH = `/site-${createHash('sha256').update(SITE_CSS).digest('hex').slice(0, 12)}.css`;
