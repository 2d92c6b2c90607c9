import { describe, expect, it } from 'vitest';
import { WRITE_THREAD_LARGE_DATABASE_BYTES, writeThreadCacheKib } from './sqlite-database.js';

describe("the write thread's page cache", () => {
  it('is 16 MB for a database of a million orders and 32 MB for one of ten million (the sizes measured)', () => {
    expect(writeThreadCacheKib(720_130_048)).toBe(16_000);
    expect(writeThreadCacheKib(7_431_249_920)).toBe(32_000);
  });

  it('grows once the database reaches 2 GiB, not a page before', () => {
    expect(WRITE_THREAD_LARGE_DATABASE_BYTES).toBe(2 * 1024 ** 3);
    expect(writeThreadCacheKib(WRITE_THREAD_LARGE_DATABASE_BYTES - 4096)).toBe(16_000);
    expect(writeThreadCacheKib(WRITE_THREAD_LARGE_DATABASE_BYTES)).toBe(32_000);
    expect(writeThreadCacheKib(0)).toBe(16_000);
  });
});
