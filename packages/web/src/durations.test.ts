import { describe, expect, it } from 'vitest';
import { displayAverageTime } from './durations.js';

describe('average time on the web panel', () => {
  it('shows the two largest units, rounded down', () => {
    expect(displayAverageTime(4140)).toBe('1 h 9 min');
    expect(displayAverageTime(3600)).toBe('1 h');
    expect(displayAverageTime(3 * 86_400 + 2 * 3600 + 59)).toBe('3 d 2 h');
    expect(displayAverageTime(86_400 + 59)).toBe('1 d');
    expect(displayAverageTime(125)).toBe('2 min 5 s');
    expect(displayAverageTime(45)).toBe('45 s');
    expect(displayAverageTime(0)).toBe('0 s');
  });

  it('shows a dash when unknown', () => {
    expect(displayAverageTime(null)).toBe('—');
  });
});

describe('average time in other languages', () => {
  it('writes the units as Intl does in the language', () => {
    const hour = new Intl.NumberFormat('ru', { style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(1);
    const minutes = new Intl.NumberFormat('ru', {
      style: 'unit',
      unit: 'minute',
      unitDisplay: 'short',
    }).format(9);
    expect(displayAverageTime(4140, 'ru')).toBe(`${hour} ${minutes}`);
    expect(displayAverageTime(4140, 'ru')).not.toContain('min');
    expect(displayAverageTime(3 * 86_400 + 59, 'tr')).toBe(
      new Intl.NumberFormat('tr', { style: 'unit', unit: 'day', unitDisplay: 'short' }).format(3),
    );
    expect(displayAverageTime(null, 'ar')).toBe('—');
  });
});
