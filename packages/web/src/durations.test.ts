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
