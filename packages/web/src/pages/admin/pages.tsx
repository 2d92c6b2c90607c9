import type { AdminPost, PublicPagesOverview } from '@smmkit/contract';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, query } from '../../api.js';
import { AnnouncementHtml } from '../../components/announcement-html.js';
import {
  Alert,
  Card,
  Checkbox,
  Field,
  Loading,
  Page,
  Select,
  date,
  useConfirm,
} from '../../components/ui.js';
import { errorText, useResource } from '../../hooks.js';

const PAGE_NAMES: Record<string, string> = {
  home: 'Landing page',
  prices: 'Prices',
  terms: 'Terms of service',
  privacy: 'Privacy policy',
  'refund-policy': 'Refund policy',
  faq: 'FAQ',
  blog: 'Blog (introduction)',
};

/** Where a page is on the public site. */
function publicPath(page: string, language: string): string {
  return page === 'home' ? `/${language}/` : `/${language}/${page}`;
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The server's rendering of a Markdown draft (the same sanitizer visitors' copies go through),
 * asked for a moment after typing stops; an answer for an older draft is dropped.
 */
function usePreview(body: string, onError: (text: string) => void): string | null {
  const [preview, setPreview] = useState<string | null>(null);
  const reportError = useRef(onError);
  reportError.current = onError;
  useEffect(() => {
    if (body.trim() === '') {
      setPreview(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .post('/admin/pages/preview', { body })
        .then((answer) => {
          if (live) setPreview(answer.html);
        })
        .catch((failure: unknown) => {
          if (live) reportError.current(errorText(failure));
        });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body]);
  return preview;
}

function Preview(props: { html: string | null; label: string }) {
  return (
    <section aria-label={props.label} className="announcement-preview">
      <h3>{props.label}</h3>
      {props.html === null ? (
        <p className="muted small">Type a body to see it as visitors will.</p>
      ) : (
        <AnnouncementHtml html={props.html} />
      )}
    </section>
  );
}

/** Admin › Pages (content.write): the public pages' text per language, the site settings, blog posts. */
export function AdminPagesPage() {
  const { data, error, reload } = useResource('/admin/pages');
  const [notice, setNotice] = useState<Notice>(null);
  return (
    <Page title="Pages">
      <p className="muted">
        The public site, readable without signing in and by search engines: each page in every language, at{' '}
        <code>/{'{language}'}/…</code>. A page not written in a language shows the default language&apos;s
        text, then the built-in text. Bodies are Markdown; scripts and other HTML are removed.
      </p>
      {notice !== null && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {data === null ? (
        <Loading error={error} />
      ) : (
        <>
          <SiteSettings overview={data} onNotice={setNotice} onSaved={reload} />
          <PageEditor overview={data} onNotice={setNotice} onSaved={reload} />
          <Posts languages={data.languages} onNotice={setNotice} />
        </>
      )}
    </Page>
  );
}

function SiteSettings(props: {
  overview: PublicPagesOverview;
  onNotice: (n: Notice) => void;
  onSaved: () => void;
}) {
  const [tagline, setTagline] = useState(props.overview.settings.tagline);
  const [hidePriceList, setHidePriceList] = useState(props.overview.settings.hidePriceList);
  const [defaultLanguage, setDefaultLanguage] = useState(props.overview.settings.defaultLanguage);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.put('/admin/pages/settings', { tagline, hidePriceList, defaultLanguage });
      props.onNotice({ kind: 'ok', text: 'Site settings saved.' });
      props.onSaved();
    } catch (failure) {
      props.onNotice({ kind: 'error', text: errorText(failure) });
    }
  };
  return (
    <Card title="Site settings">
      <form onSubmit={(event) => void save(event)} aria-label="Site settings">
        <Field
          label="Tagline"
          value={tagline}
          onChange={setTagline}
          hint="One line under the panel's name."
        />
        <Checkbox label="Hide the public price list" checked={hidePriceList} onChange={setHidePriceList} />
        <Select
          label="Default language"
          value={defaultLanguage}
          onChange={setDefaultLanguage}
          options={props.overview.languages.map((language) => ({ value: language, label: language }))}
        />
        <button type="submit" className="primary">
          Save site settings
        </button>
      </form>
    </Card>
  );
}

function PageEditor(props: {
  overview: PublicPagesOverview;
  onNotice: (n: Notice) => void;
  onSaved: () => void;
}) {
  const [page, setPage] = useState('home');
  const [language, setLanguage] = useState(props.overview.settings.defaultLanguage);
  const { data, error, reload } = useResource(`/admin/pages/text${query({ page, language })}`);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [body, setBody] = useState('');
  const [dialog, ask] = useConfirm();
  useEffect(() => {
    if (data === null) return;
    setTitle(data.title);
    setDescription(data.description);
    setBody(data.body);
  }, [data]);
  const { onNotice } = props;
  const preview = usePreview(body, (text) => onNotice({ kind: 'error', text }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.put('/admin/pages/text', { page, language, title, description, body });
      onNotice({ kind: 'ok', text: `Saved ${PAGE_NAMES[page] ?? page} (${language}).` });
      reload();
      props.onSaved();
    } catch (failure) {
      onNotice({ kind: 'error', text: errorText(failure) });
    }
  };
  const reset = () =>
    ask({
      title: `Remove the ${language} text of ${PAGE_NAMES[page] ?? page}?`,
      body: 'Visitors then read the default language’s text (or the built-in text).',
      confirm: 'Remove text',
      onConfirm: async () => {
        try {
          await api.post('/admin/pages/text/reset', { page, language });
          onNotice({ kind: 'ok', text: `Removed the ${language} text.` });
          reload();
          props.onSaved();
        } catch (failure) {
          onNotice({ kind: 'error', text: errorText(failure) });
        }
      },
    });

  return (
    <Card title="Edit a page">
      {dialog}
      <div className="filters">
        <Select
          label="Page"
          value={page}
          onChange={setPage}
          options={props.overview.pages.map((name) => ({ value: name, label: PAGE_NAMES[name] ?? name }))}
        />
        <Select
          label="Page language"
          value={language}
          onChange={setLanguage}
          options={props.overview.languages.map((name) => ({ value: name, label: name }))}
        />
      </div>
      {data === null ? (
        <Loading error={error} />
      ) : (
        <form onSubmit={(event) => void save(event)} aria-label="Page text">
          <p className="muted small">
            {data.written
              ? 'Written in this language.'
              : 'Not written in this language yet: showing the built-in text.'}{' '}
            <a href={publicPath(page, language)} target="_blank" rel="noreferrer">
              Open {publicPath(page, language)}
            </a>
          </p>
          <Field
            label="Title"
            value={title}
            onChange={setTitle}
            hint="Empty: the page's name in its language."
          />
          <Field
            label="Description"
            value={description}
            onChange={setDescription}
            hint="For search engines and link previews. Empty: a standard description in the page's language."
          />
          <Field
            label="Body"
            value={body}
            onChange={setBody}
            multiline
            hint="Markdown: ## headings, **bold**, lists, [links](https://example.com). Scripts and other HTML are removed."
          />
          <button type="submit" className="primary">
            Save page
          </button>{' '}
          {data.written && (
            <button type="button" className="danger" onClick={reset}>
              Remove this language&apos;s text
            </button>
          )}
        </form>
      )}
      <Preview html={preview} label="Preview" />
    </Card>
  );
}

const EMPTY_POST = { language: 'en', slug: '', title: '', description: '', body: '', published: false };

function Posts(props: { languages: readonly string[]; onNotice: (n: Notice) => void }) {
  const { data, error, reload } = useResource('/admin/posts');
  const [editing, setEditing] = useState<number | null>(null);
  const [post, setPost] = useState(EMPTY_POST);
  const [dialog, ask] = useConfirm();
  const { onNotice } = props;
  const preview = usePreview(post.body, (text) => onNotice({ kind: 'error', text }));
  const set = (field: keyof typeof EMPTY_POST) => (value: string | boolean) =>
    setPost((current) => ({ ...current, [field]: value }));

  const edit = (existing: AdminPost) => {
    setEditing(existing.id);
    setPost({
      language: existing.language,
      slug: existing.slug,
      title: existing.title,
      description: existing.description,
      body: existing.body,
      published: existing.published,
    });
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      if (editing === null) await api.post('/admin/posts', post);
      else await api.put(`/admin/posts/${editing}`, post);
      onNotice({ kind: 'ok', text: `Saved “${post.title.trim()}”.` });
      setEditing(null);
      setPost(EMPTY_POST);
      reload();
    } catch (failure) {
      onNotice({ kind: 'error', text: errorText(failure) });
    }
  };
  const remove = (existing: AdminPost) =>
    ask({
      title: `Delete “${existing.title}”?`,
      body: 'Its address stops working. This cannot be undone.',
      confirm: 'Delete post',
      onConfirm: async () => {
        try {
          await api.delete(`/admin/posts/${existing.id}`);
          onNotice({ kind: 'ok', text: `Deleted “${existing.title}”.` });
          reload();
        } catch (failure) {
          onNotice({ kind: 'error', text: errorText(failure) });
        }
      },
    });

  return (
    <Card title="Blog posts">
      {dialog}
      {data === null ? (
        <Loading error={error} />
      ) : data.posts.length === 0 ? (
        <p className="muted">No posts yet.</p>
      ) : (
        <div>
          <table className="table">
            <caption className="sr-only">Blog posts</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">Published</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.posts.map((existing) => (
                <tr key={existing.id}>
                  <td data-label="Title">{existing.title}</td>
                  <td data-label="Address">
                    <a href={`/${existing.language}/blog/${existing.slug}`} target="_blank" rel="noreferrer">
                      /{existing.language}/blog/{existing.slug}
                    </a>
                  </td>
                  <td data-label="Status">{existing.published ? 'Published' : 'Draft'}</td>
                  <td data-label="Published">
                    {existing.publishedAt === null ? '—' : date(existing.publishedAt)}
                  </td>
                  <td>
                    <button type="button" className="small-button" onClick={() => edit(existing)}>
                      Edit<span className="sr-only"> {existing.title}</span>
                    </button>{' '}
                    <button type="button" className="danger small-button" onClick={() => remove(existing)}>
                      Delete<span className="sr-only"> {existing.title}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={(event) => void save(event)} aria-label={editing === null ? 'New post' : 'Edit post'}>
        <h3>{editing === null ? 'New post' : `Edit post ${editing}`}</h3>
        <Select
          label="Post language"
          value={post.language}
          onChange={set('language')}
          options={props.languages.map((name) => ({ value: name, label: name }))}
        />
        <Field
          label="Address"
          value={post.slug}
          onChange={set('slug')}
          required
          hint="Lower-case letters, digits and hyphens: /{language}/blog/this-address"
        />
        <Field label="Post title" value={post.title} onChange={set('title')} required />
        <Field label="Post description" value={post.description} onChange={set('description')} />
        <Field
          label="Post body"
          value={post.body}
          onChange={set('body')}
          multiline
          required
          hint="Markdown."
        />
        <Checkbox label="Published" checked={post.published} onChange={set('published')} />
        <button type="submit" className="primary">
          {editing === null ? 'Create post' : 'Save post'}
        </button>{' '}
        {editing !== null && (
          <button
            type="button"
            onClick={() => {
              setEditing(null);
              setPost(EMPTY_POST);
            }}
          >
            Cancel
          </button>
        )}
      </form>
      <Preview html={preview} label="Post preview" />
    </Card>
  );
}
