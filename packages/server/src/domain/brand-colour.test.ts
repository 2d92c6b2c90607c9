import { describe, expect, it } from 'vitest';
import { brandPalette, contrastRatio, parseHexColour } from './brand-colour.js';

describe('brand colour', () => {
  it('takes #rrggbb only, in any case, stored lower case', () => {
    expect(parseHexColour('#A1b2C3')).toBe('#a1b2c3');
    expect(parseHexColour(' #2754c5 ')).toBe('#2754c5');
    for (const bad of [
      '#abc',
      '2754c5',
      '#2754c',
      '#2754c5ff',
      'red',
      'rgb(1,2,3)',
      '#gggggg',
      '',
      '#2754c5;x',
    ])
      expect(parseHexColour(bad)).toBeNull();
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it.each(['#2754c5', '#ffdd00', '#00ff00', '#ffffff', '#000000', '#777777', '#e91e63', '#0a0a23'])(
    'keeps text readable on %s: the text colour on it and its link shade both reach 4.5:1',
    (colour) => {
      const palette = brandPalette(colour);
      expect(palette.primary).toBe(colour);
      expect(contrastRatio(palette.primary, palette.onPrimary)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(palette.link, '#f5f6f8')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(palette.link, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(palette.linkDark, '#e3eaff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(palette.primaryHover, palette.onPrimary)).toBeGreaterThanOrEqual(
        Math.min(4.5, contrastRatio(palette.primary, palette.onPrimary)),
      );
    },
  );

  it('picks black on yellow, white on dark blue, and keeps a dark colour as its own link colour', () => {
    expect(brandPalette('#ffdd00').onPrimary).toBe('#000000');
    expect(brandPalette('#2754c5')).toMatchObject({ onPrimary: '#ffffff', link: '#2754c5' });
    expect(brandPalette('#ffdd00').link).not.toBe('#ffdd00');
  });
});
