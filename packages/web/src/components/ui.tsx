import { type ReactNode, useId } from 'react';

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

export function Card(props: { title?: string; children: ReactNode; className?: string }) {
  return (
    <div className={`card ${props.className ?? ''}`}>
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
}) {
  const id = useId();
  const hintId = `${id}-hint`;
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
          aria-describedby={props.hint ? hintId : undefined}
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
          aria-describedby={props.hint ? hintId : undefined}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
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
  return props.error !== null ? <Alert kind="error">{props.error}</Alert> : <p className="muted">Loading…</p>;
}

export function StatusBadge(props: { status: string }) {
  return (
    <span className={`badge badge-${props.status.toLowerCase().replace(/\s+/g, '-')}`}>{props.status}</span>
  );
}

export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <span>
        Page {props.page} of {pages} · {props.total} in all
      </span>
      <button type="button" disabled={props.page >= pages} onClick={() => props.onPage(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function date(iso: string | null): string {
  return iso === null ? '—' : iso.slice(0, 16).replace('T', ' ');
}
