import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type Result, failureMessage } from './errors.js';
import { MAX_IDS_PER_REQUEST, distinctIds, parseId, parseIdList, validIds } from './id-list.js';

type Entry = { key: string; id: number | null };

function entriesOf(result: Result<Entry[]>): Entry[] {
  if (!result.ok) throw new Error(`expected a list, got "${failureMessage(result.failure)}"`);
  return result.value;
}

function errorOf(result: Result<Entry[]>): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return failureMessage(result.failure);
}

const ids = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => String(from + i)).join(',');

describe('parseId', () => {
  it.each([
    ['1', 1],
    ['23501', 23501],
    [' 7 ', 7],
    ['007', 7],
    ['999999999999999', 999_999_999_999_999],
  ])('%j → %s', (text, id) => {
    expect(parseId(text)).toBe(id);
  });

  it.each([
    [undefined],
    [''],
    ['   '],
    ['0'],
    ['000'],
    ['-1'],
    ['+1'],
    ['1.5'],
    ['1.0'],
    ['1e3'],
    ['0x10'],
    ['abc'],
    ['1 2'],
    ['1,2'],
    ['1000000000000000'],
    ['9007199254740993'],
    ['Infinity'],
  ])('%j → null', (text) => {
    expect(parseId(text)).toBeNull();
  });

  it('agrees with the definition (trimmed, 1–15 ASCII digits, above zero) on any text', () => {
    const definition = (text: string): number | null => {
      const trimmed = text.trim();
      return /^\d{1,15}$/.test(trimmed) && Number(trimmed) > 0 ? Number(trimmed) : null;
    };
    const digitsAndNoise = fc.stringMatching(/^[\s0-9٠-٩０-９.+\-eE x]{0,20}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), digitsAndNoise), (text) => {
        expect(parseId(text)).toBe(definition(text));
        // A list entry is read the same way as a lone id.
        const list = parseIdList(`${text},1`);
        if (list.ok && !text.includes(',') && text.trim() !== '' && text.trim() !== '1') {
          expect(list.value[0]?.id ?? null).toBe(definition(text));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back every positive safe id of up to 15 digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999_999_999 }), (id) => {
        expect(parseId(String(id))).toBe(id);
      }),
    );
  });
});

describe('parseIdList', () => {
  it('allows up to 100 ids', () => {
    expect(MAX_IDS_PER_REQUEST).toBe(100);
  });

  it('trims, dedupes and keeps the order of the request', () => {
    expect(entriesOf(parseIdList('1, 2,2,x'))).toEqual([
      { key: '1', id: 1 },
      { key: '2', id: 2 },
      { key: 'x', id: null },
    ]);
    expect(entriesOf(parseIdList(' 3 ,1,3, 2 ,1'))).toEqual([
      { key: '3', id: 3 },
      { key: '1', id: 1 },
      { key: '2', id: 2 },
    ]);
  });

  it('keeps a single id', () => {
    expect(entriesOf(parseIdList('23501'))).toEqual([{ key: '23501', id: 23501 }]);
  });

  it('skips empty entries', () => {
    expect(entriesOf(parseIdList(',1,,2, ,'))).toEqual([
      { key: '1', id: 1 },
      { key: '2', id: 2 },
    ]);
  });

  it('keeps invalid entries, with id null, keyed by the text the client sent', () => {
    expect(entriesOf(parseIdList('0,-1,1.5,abc,1000000000000000,5'))).toEqual([
      { key: '0', id: null },
      { key: '-1', id: null },
      { key: '1.5', id: null },
      { key: 'abc', id: null },
      { key: '1000000000000000', id: null },
      { key: '5', id: 5 },
    ]);
  });

  it('dedupes by the text sent, so "1" and "01" are answered separately', () => {
    expect(entriesOf(parseIdList('1,01,1'))).toEqual([
      { key: '1', id: 1 },
      { key: '01', id: 1 },
    ]);
  });

  it('missing or empty → "Incorrect request"', () => {
    expect(errorOf(parseIdList(undefined))).toBe('Incorrect request');
    expect(errorOf(parseIdList(''))).toBe('Incorrect request');
    expect(errorOf(parseIdList('   '))).toBe('Incorrect request');
    expect(errorOf(parseIdList(' , ,,'))).toBe('Incorrect request');
  });

  it('accepts exactly 100 ids', () => {
    const entries = entriesOf(parseIdList(ids(1, 100)));
    expect(entries).toHaveLength(100);
    expect(entries[0]).toEqual({ key: '1', id: 1 });
    expect(entries[99]).toEqual({ key: '100', id: 100 });
  });

  it('101 ids → "Too many IDs, maximum is 100"', () => {
    const result = parseIdList(ids(1, 101));
    expect(result).toEqual({ ok: false, failure: { code: 'TOO_MANY_IDS' } });
    expect(errorOf(result)).toBe('Too many IDs, maximum is 100');
  });

  it('counts invalid entries towards the limit', () => {
    const junk = Array.from({ length: 101 }, (_, i) => `x${i}`).join(',');
    expect(errorOf(parseIdList(junk))).toBe('Too many IDs, maximum is 100');
  });

  it('counts ids after removing duplicates and blanks', () => {
    expect(entriesOf(parseIdList(`${ids(1, 100)},1,50,,100`))).toHaveLength(100);
    expect(errorOf(parseIdList(`${ids(1, 100)},101`))).toBe('Too many IDs, maximum is 100');
  });

  it('answers each distinct trimmed entry once, in first-seen order', () => {
    const item = fc.oneof(
      fc.integer({ min: -5, max: 200 }).map(String),
      fc.string().filter((s) => !s.includes(',')),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(item, fc.constantFrom('', ' ', '\t')), { maxLength: 150 }), (items) => {
        const text = items.map(([value, pad]) => `${pad}${value}${pad}`).join(',');
        const expectedKeys = [...new Set(items.map(([value]) => value.trim()).filter((key) => key !== ''))];
        const result = parseIdList(text);
        if (expectedKeys.length === 0) {
          expect(errorOf(result)).toBe('Incorrect request');
        } else if (expectedKeys.length > 100) {
          expect(errorOf(result)).toBe('Too many IDs, maximum is 100');
        } else {
          const entries = entriesOf(result);
          expect(entries.map((entry) => entry.key)).toEqual(expectedKeys);
          for (const entry of entries) expect(entry.id).toBe(parseId(entry.key));
        }
      }),
    );
  });
  it('tells apart texts that name one id ("7", "07", "007"), with any mix and repetition', () => {
    // Ids are told apart by number when their text has no leading zero, other texts by text:
    // lists made mostly of such texts check that the two never merge or lose an entry.
    const item = fc.oneof(fc.stringMatching(/^0{0,2}[0-9]{1,2}$/), fc.constantFrom('x', '0', '00', ' 7'));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 160 }), (items) => {
        const expectedKeys = [...new Set(items.map((value) => value.trim()).filter((key) => key !== ''))];
        const result = parseIdList(items.join(','));
        if (expectedKeys.length === 0) expect(errorOf(result)).toBe('Incorrect request');
        else if (expectedKeys.length > 100) expect(errorOf(result)).toBe('Too many IDs, maximum is 100');
        else {
          const entries = entriesOf(result);
          expect(entries.map((entry) => entry.key)).toEqual(expectedKeys);
          for (const entry of entries) expect(entry.id).toBe(parseId(entry.key));
        }
      }),
      { numRuns: 500 },
    );
    expect(entriesOf(parseIdList('7,07,7,007,07,x,x,0,00,0'))).toEqual([
      { key: '7', id: 7 },
      { key: '07', id: 7 },
      { key: '007', id: 7 },
      { key: 'x', id: null },
      { key: '0', id: null },
      { key: '00', id: null },
    ]);
  });
});

describe('parseIdList by number', () => {
  it('is distinctIds of the list told apart by text, errors and the limit of 100 texts included', () => {
    const item = fc.oneof(
      fc.stringMatching(/^0{0,2}[0-9]{1,3}$/),
      fc.constantFrom('x', '0', '00', ' 7', '', '1.5'),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 160 }), (items) => {
        const text = items.join(',');
        const byText = parseIdList(text);
        const byNumber = parseIdList(text, true);
        if (!byText.ok) expect(byNumber).toEqual(byText);
        else expect(entriesOf(byNumber)).toEqual(distinctIds(byText.value));
      }),
      { numRuns: 1000 },
    );
    expect(entriesOf(parseIdList('07,7,x,007,3,x,03', true))).toEqual([
      { key: '07', id: 7 },
      { key: 'x', id: null },
      { key: '3', id: 3 },
    ]);
    // 101 distinct texts naming 100 ids: too many, as before the ids were merged.
    expect(errorOf(parseIdList(`${ids(1, 100)},07`, true))).toBe('Too many IDs, maximum is 100');
  });
});

describe('distinctIds', () => {
  it('keeps the first mention of each id, whatever text named it, and every entry that is not an id', () => {
    expect(distinctIds(entriesOf(parseIdList('7,07, 7,x,3,007,x2,03,0')))).toEqual([
      { key: '7', id: 7 },
      { key: 'x', id: null },
      { key: '3', id: 3 },
      { key: 'x2', id: null },
      { key: '0', id: null },
    ]);
  });

  it('answers "07" for order 7 when it comes first', () => {
    expect(distinctIds(entriesOf(parseIdList('07,7')))).toEqual([{ key: '07', id: 7 }]);
  });

  it('returns a list with no repeated id, in the order given, and leaves its input as it was', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.string(), id: fc.option(fc.integer({ min: 1, max: 20 })) })),
        (entries) => {
          const copy = structuredClone(entries);
          const distinct = distinctIds(entries);
          expect(entries).toEqual(copy);
          const ids = distinct.flatMap(({ id }) => (id === null ? [] : [id]));
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(ids)).toEqual(new Set(entries.flatMap(({ id }) => (id === null ? [] : [id]))));
          expect(distinct.filter(({ id }) => id === null)).toEqual(entries.filter(({ id }) => id === null));
          // A subsequence of the input, keeping the first entry of each id.
          let from = 0;
          for (const entry of distinct) {
            const at = entries.indexOf(entry, from);
            expect(at).toBeGreaterThanOrEqual(from);
            if (entry.id !== null) expect(entries.findIndex(({ id }) => id === entry.id)).toBe(at);
            from = at + 1;
          }
        },
      ),
    );
  });
});

describe('validIds', () => {
  it('keeps the ids of the entries that have one, in order', () => {
    expect(validIds(entriesOf(parseIdList('7,x,3,,0,03,12')))).toEqual([7, 3, 3, 12]);
    expect(validIds([])).toEqual([]);
  });
});
