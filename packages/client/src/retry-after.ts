/**
 * Converts a `Retry-After` header to a wait in milliseconds. RFC 9110 allows either a number of
 * seconds or an HTTP date; anything else is ignored rather than guessed at.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse accepts almost anything ("1.5" is a date to V8), so only real HTTP dates get through.
  if (!/^[A-Za-z]{3}, .+ GMT$/.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
