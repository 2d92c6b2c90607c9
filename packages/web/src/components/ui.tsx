import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.js';
import { useStatusLabel } from '../status-labels.js';

export function Page(props: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{props.title}</h1>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export function Card(props: { title?: string; children: ReactNode; className?: string; id?: string }) {
  return (
    <div className={`card ${props.className ?? ''}`} id={props.id}>
      {props.title !== undefined && <h2>{props.title}</h2>}
      {props.children}
    </div>
  );
}

/** A labelled input: the label's `for` names the field, so tests and screen readers find it by label. */
export function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  autoComplete?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text' | 'url';
  /** A message about this field, shown once right under it and named as its description. */
  error?: string | null | undefined;
  onBlur?: () => void;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = props.error !== null && props.error !== undefined && props.error !== '';
  const describedBy =
    [props.hint ? hintId : '', hasError ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea
          id={id}
          value={props.value}
          rows={5}
          required={props.required}
          placeholder={props.placeholder}
          aria-describedby={describedBy}
          aria-invalid={hasError || undefined}
          onBlur={props.onBlur}
          onChange={(event) => props.onChange(event.target.value)}
        />
      ) : (
        <input
          id={id}
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          autoComplete={props.autoComplete}
          placeholder={props.placeholder}
          inputMode={props.inputMode}
          aria-describedby={describedBy}
          aria-invalid={hasError || undefined}
          onBlur={props.onBlur}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {hasError && (
        <p className="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function Select(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

export function Alert(props: { kind: 'error' | 'ok' | 'info'; children: ReactNode }) {
  return (
    <div className={`alert alert-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function Loading(props: { error: string | null }) {
  const { t } = useTranslation('ui');
  return props.error !== null ? (
    <Alert kind="error">{props.error}</Alert>
  ) : (
    <p className="muted">{t('loading')}</p>
  );
}

/** A server status (English, the contract's word) as a badge in the reader's language. */
export function StatusBadge(props: { status: string }) {
  const label = useStatusLabel();
  return (
    <span className={`badge badge-${props.status.toLowerCase().replace(/\s+/g, '-')}`}>
      {label(props.status)}
    </span>
  );
}

export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation('ui');
  const format = useFormat();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        {t('pager.previous')}
      </button>
      <span>
        {t('pager.position', {
          page: format.number(props.page),
          pages: format.number(pages),
          total: format.number(props.total),
        })}
      </span>
      <button type="button" disabled={props.page >= pages} onClick={() => props.onPage(props.page + 1)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

/**
 * Newest-first keyset pages (`before=<id>`): an older page starts below the last id shown, a
 * newer one goes back a step. No offset, so a deep page costs what the first does.
 */
export interface KeysetPages {
  /** The `before` of the page shown; undefined: the newest. */
  readonly before: number | undefined;
  readonly page: number;
  older(lastId: number): void;
  newer(): void;
  reset(): void;
}

export function useKeysetPages(): KeysetPages {
  const [stack, setStack] = useState<readonly number[]>([]);
  return {
    before: stack.at(-1),
    page: stack.length + 1,
    older: (lastId) => setStack((current) => [...current, lastId]),
    newer: () => setStack((current) => current.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function KeysetPager(props: {
  pages: KeysetPages;
  pageSize: number;
  total: number;
  /** The id of the last (oldest) row shown; undefined: the page is empty. */
  lastId: number | undefined;
}) {
  const { t } = useTranslation('ui');
  const format = useFormat();
  const { pages: keyset, lastId } = props;
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button type="button" disabled={keyset.page <= 1} onClick={() => keyset.newer()}>
        {t('pager.previous')}
      </button>
      <span>
        {t('pager.position', {
          page: format.number(Math.min(keyset.page, pages)),
          pages: format.number(pages),
          total: format.number(props.total),
        })}
      </span>
      <button
        type="button"
        disabled={lastId === undefined || keyset.page >= pages}
        onClick={() => lastId !== undefined && keyset.older(lastId)}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}

/**
 * A timestamp as "2026-12-02 17:20" (UTC, as the server wrote it). Deprecated for customer pages:
 * they show dates through `useFormat().dateTime`, in the reader's language and time zone.
 */
export function date(iso: string | null): string {
  return iso === null ? '—' : iso.slice(0, 16).replace('T', ' ');
}

/** What a confirmation asks: the question, what happens, and the words on the button that does it. */
export interface ConfirmRequest {
  title: string;
  body?: ReactNode;
  confirm: string;
  onConfirm: () => unknown;
}

/**
 * A modal confirmation for an irreversible action: a native <dialog> opened with showModal (focus
 * moves into it and stays there, Escape dismisses it, the page behind is inert), named by its title.
 */
export function ConfirmDialog(props: { request: ConfirmRequest; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;
  const { t } = useTranslation('ui');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{props.request.title}</h2>
      {props.request.body !== undefined && <div className="confirm-body">{props.request.body}</div>}
      <div className="confirm-actions">
        <button type="button" onClick={() => ref.current?.close()}>
          {t('confirm.back')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            ref.current?.close();
            void props.request.onConfirm();
          }}
        >
          {props.request.confirm}
        </button>
      </div>
    </dialog>
  );
}

/** `[dialog, ask]`: render `dialog` once in the page; `ask(request)` opens it. */
export function useConfirm(): [ReactNode, (request: ConfirmRequest) => void] {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const close = useCallback(() => setRequest(null), []);
  const dialog = request === null ? null : <ConfirmDialog request={request} onClose={close} />;
  return [dialog, setRequest];
}

/** Copies `text` to the clipboard and says so (politely, to screen readers too). */
export function CopyButton(props: { text: string; label: string }) {
  const { t } = useTranslation('ui');
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="small-button" aria-label={props.label} onClick={() => void copy()}>
        {t('copy.button')}
      </button>
      <span role="status" className="muted small">
        {state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : ''}
      </span>
    </span>
  );
}

/** A code sample with its copy button. */
export function CodeBlock(props: { code: string; label: string }) {
  const { t } = useTranslation('ui');
  return (
    <div className="code-block">
      <CopyButton text={props.code} label={t('copy.label', { what: props.label })} />
      <pre>
        <code>{props.code}</code>
      </pre>
    </div>
  );
}
