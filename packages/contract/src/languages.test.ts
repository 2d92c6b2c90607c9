import { describe, expect, it } from 'vitest';
import { isRightToLeft, languageOf, negotiateLanguage } from './languages.js';

describe('negotiateLanguage', () => {
  it('takes the highest weight, then the earliest, matching region and primary subtags', () => {
    expect(negotiateLanguage('ru-RU,ru;q=0.9,en;q=0.8', 'en')).toBe('ru');
    expect(negotiateLanguage('en;q=0.5, ar', 'en')).toBe('ar');
    expect(negotiateLanguage('es-MX, es;q=0.9', 'en')).toBe('es');
    expect(negotiateLanguage('pt-PT', 'en')).toBe('pt-BR');
    expect(negotiateLanguage('PT-br', 'en')).toBe('pt-BR');
    expect(negotiateLanguage('hi-IN;q=0.8, tr;q=0.8', 'en')).toBe('hi');
  });

  it('skips refused, wildcard and malformed ranges and falls back', () => {
    expect(negotiateLanguage(undefined, 'tr')).toBe('tr');
    expect(negotiateLanguage('', 'tr')).toBe('tr');
    expect(negotiateLanguage('*', 'tr')).toBe('tr');
    expect(negotiateLanguage('ru;q=0', 'tr')).toBe('tr');
    expect(negotiateLanguage('ru;q=2', 'es')).toBe('ru');
    expect(negotiateLanguage(';q=1,,, ;;', 'es')).toBe('es');
    expect(negotiateLanguage('x'.repeat(5000), 'es')).toBe('es');
  });

  it('knows which language is written right to left', () => {
    expect(isRightToLeft('ar')).toBe(true);
    expect(isRightToLeft('ru')).toBe(false);
    expect(languageOf('AR-eg')).toBe('ar');
    expect(languageOf('de')).toBeNull();
  });
});
