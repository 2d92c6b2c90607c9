import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api.js';
import { AnnouncementHtml } from '../../components/announcement-html.js';
import { Alert, Card, Field, Loading, Page, date, useConfirm } from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';

/** Admin › Announcements (content.write): post news in Markdown with the server's preview, list, delete. */
export function AdminAnnouncementsPage() {
  const { data, error, reload } = useResource('/admin/announcements');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [dialog, ask] = useConfirm();

  // The preview is the server's rendering (the same sanitizer customers' copies go through), asked
  // for a moment after typing stops; an answer for an older draft is dropped.
  useEffect(() => {
    if (body.trim() === '') {
      setPreview(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .post('/admin/announcements/preview', { body })
        .then((answer) => {
          if (live) setPreview(answer.html);
        })
        .catch((failure: unknown) => {
          if (live) setNotice({ kind: 'error', text: errorText(failure) });
        });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body]);

  const post = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    try {
      await api.post('/admin/announcements', { title, body });
      setTitle('');
      setBody('');
      setNotice({ kind: 'ok', text: `Posted “${title.trim()}”.` });
      reload();
    } catch (failure) {
      setNotice({ kind: 'error', text: errorText(failure) });
    }
  };

  const remove = (id: number, shownTitle: string) =>
    ask({
      title: `Delete “${shownTitle}”?`,
      body: 'Customers no longer see it. This cannot be undone.',
      confirm: 'Delete announcement',
      onConfirm: async () => {
        try {
          await api.delete(`/admin/announcements/${id}`);
          setNotice({ kind: 'ok', text: `Deleted “${shownTitle}”.` });
          reload();
        } catch (failure) {
          setNotice({ kind: 'error', text: errorText(failure) });
        }
      },
    });

  return (
    <Page title="Announcements">
      {dialog}
      <Card title="New announcement">
        <form onSubmit={(event) => void post(event)} aria-label="New announcement">
          <Field label="Title" value={title} onChange={setTitle} required />
          <Field
            label="Body"
            value={body}
            onChange={setBody}
            multiline
            required
            hint="Markdown: **bold**, _italic_, lists, [links](https://example.com). Scripts and other HTML are removed."
          />
          <button type="submit" className="primary">
            Post announcement
          </button>
        </form>
        <section aria-label="Preview" className="announcement-preview">
          <h3>Preview</h3>
          {preview === null ? (
            <p className="muted small">Type a body to see it as customers will.</p>
          ) : (
            <AnnouncementHtml html={preview} />
          )}
        </section>
      </Card>
      {notice !== null && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <Card title="Posted">
        {data === null ? (
          <Loading error={error} />
        ) : data.announcements.length === 0 ? (
          <p className="muted">Nothing posted yet.</p>
        ) : (
          <ul className="announcement-list">
            {data.announcements.map((announcement) => (
              <li key={announcement.id}>
                <article aria-label={announcement.title}>
                  <header className="list-row">
                    <h3>{announcement.title}</h3>
                    <span className="row-end">
                      <span className="muted small">{date(announcement.createdAt)}</span>
                      <button
                        type="button"
                        className="danger small-button"
                        onClick={() => remove(announcement.id, announcement.title)}
                      >
                        Delete<span className="sr-only"> {announcement.title}</span>
                      </button>
                    </span>
                  </header>
                  <AnnouncementHtml html={announcement.html} />
                </article>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Page>
  );
}
