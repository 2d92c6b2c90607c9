/**
 * Reads a value the database holds for one of the domain's closed sets (a role, a status, a kind).
 * The schema's CHECK constraints and the code that writes these columns keep them inside the set,
 * so a value outside it is a corrupt row: a fault, thrown, never guessed at or passed on.
 */
export function readStoredValue<T extends string>(allowed: readonly T[], value: string, what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`corrupt row: unknown ${what} ${JSON.stringify(value)}`);
}
