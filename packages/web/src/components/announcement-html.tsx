/**
 * An announcement's body as the server rendered it: Markdown turned into HTML and sanitized there
 * (`app/announcements/render-markdown.ts`: no scripts, event handlers, iframes or javascript:
 * links). This is the one place the panel shows HTML it did not build itself; nothing typed by a
 * customer ever reaches it.
 */
export function AnnouncementHtml(props: { html: string }) {
  return <div className="announcement-body" dangerouslySetInnerHTML={{ __html: props.html }} />;
}
