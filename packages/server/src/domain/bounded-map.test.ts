import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('drops the entry set longest ago once full; setting a key again makes it the newest', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(3);
    expect(map.get('c')).toBe(4);
    expect(map.size).toBe(2);
  });

  it('deletes, and refuses a size that could hold nothing', () => {
    const map = new BoundedMap<number, string>(1);
    map.set(1, 'x');
    map.delete(1);
    expect(map.get(1)).toBeUndefined();
    expect(map.size).toBe(0);
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});
