/**
 * A keyset page of a listing that is newest first: at most `limit` rows with an id below `beforeId`
 * (none: from the newest). Unlike an offset, rows added or removed meanwhile never shift a page.
 */
export interface Keyset {
  readonly beforeId?: number | undefined;
  readonly limit: number;
}

/** The rows a listing reads: the keyset page when given, else the numbered page of the web panel. */
export function rowWindow(
  keyset: Keyset | undefined,
  page: number,
  pageSize: number,
): { limit: number; offset: number; beforeId?: number | undefined } {
  return keyset === undefined
    ? { limit: pageSize, offset: (page - 1) * pageSize }
    : { limit: keyset.limit, offset: 0, beforeId: keyset.beforeId };
}
