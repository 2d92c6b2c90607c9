import { useCallback, useEffect, useState } from 'react';
import { type Answer, ApiError, type PathFor, api } from './api.js';
import { i18n } from './i18n.js';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** GETs a web endpoint and keeps its answer; reloads when the path changes or on demand. */
export function useResource<P extends PathFor<'GET'>>(path: P | null): Resource<Answer<'GET', P>> {
  const [data, setData] = useState<Answer<'GET', P> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    api
      .get(path)
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (live) setError(errorText(failure));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [path, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}

/** Failures whose wording depends on one of their details: the detail's name (`<CODE>_<value>` keys). */
const CONTEXT_PARAM: Readonly<Record<string, string>> = { CHALLENGE_REQUIRED: 'reason' };

/**
 * A failure as the reader's language says it: the translation of its code (the `errors` catalogue,
 * with the failure's details), else the server's English sentence.
 */
export function errorText(failure: unknown): string {
  if (failure instanceof ApiError) {
    const key = `errors:${failure.code}`;
    // A failure worded by one of its details (CHALLENGE_REQUIRED by its reason) has a key per value.
    const context = CONTEXT_PARAM[failure.code];
    return i18n.exists(key)
      ? i18n.t(key, {
          ...failure.params,
          ...(context === undefined ? {} : { context: String(failure.params[context] ?? '') }),
          defaultValue: failure.message,
        })
      : failure.message;
  }
  return failure instanceof Error ? failure.message : String(failure);
}
