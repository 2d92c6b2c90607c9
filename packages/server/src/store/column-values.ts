/**
 * The two conversions every row mapper needs: integers come back as `bigint` on both dialects
 * (see database.ts), while records hold ids, counts and times as numbers (all far below 2^53).
 */
export function numberOrNull(value: bigint | null): number | null {
  return value === null ? null : Number(value);
}

/** Flags are SMALLINT 0/1 on both dialects. */
export function isSet(flag: bigint): boolean {
  return flag === 1n;
}
