/**
 * Multi-id refill answers show each id as a number, so "7" and "07" name the same order or refill:
 * it is answered once, at its first mention. Entries that are not ids are kept (each answers an error).
 */
export function distinctIds<T extends { readonly id: number | null }>(entries: readonly T[]): T[] {
  const seen = new Set<number>();
  return entries.filter(({ id }) => {
    if (id === null) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
