import { describe, expect, it } from 'vitest';
import { thenEager } from './eager.js';

describe('thenEager', () => {
  it('applies the function at once to a value that is there', () => {
    const seen: number[] = [];
    const result = thenEager(2, (value) => {
      seen.push(value);
      return value * 10;
    });
    expect(result).toBe(20);
    expect(seen).toEqual([2]);
  });

  it('applies it after a promise resolves, and answers a promise', async () => {
    const seen: number[] = [];
    const result = thenEager(Promise.resolve(3), (value) => {
      seen.push(value);
      return value * 10;
    });
    expect(result).toBeInstanceOf(Promise);
    expect(seen).toEqual([]);
    await expect(result).resolves.toBe(30);
    expect(seen).toEqual([3]);
  });

  it('chains a function that itself answers a promise', async () => {
    await expect(thenEager(4, (value) => Promise.resolve(value + 1))).resolves.toBe(5);
  });

  it('passes a rejection on without calling the function', async () => {
    let called = false;
    const result = thenEager(Promise.reject(new Error('read failed')), () => {
      called = true;
      return 0;
    });
    await expect(result).rejects.toThrow('read failed');
    expect(called).toBe(false);
  });
});
