import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '@smmkit/contract/languages';
import { describe, expect, it } from 'vitest';

/**
 * The catalogues' completeness, for the web panel (packages/web/src/locales) and the server's emails
 * and public pages (packages/server/locales): every language has every namespace and every key English
 * has, no key English lacks, no empty text, the same {{placeholders}}, and each plural in the forms its
 * language needs (Intl.PluralRules: Russian one/few/many/other, Arabic zero/one/two/few/many/other…).
 * And every key the web panel's code names exists.
 */
const WEB_SRC = fileURLToPath(new URL('.', import.meta.url));
const ROOTS = {
  web: join(WEB_SRC, 'locales'),
  server: fileURLToPath(new URL('../../server/locales', import.meta.url)),
};
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') flat.set(path, value);
    else for (const [k, v] of flatten(value, path)) flat.set(k, v);
  }
  return flat;
}

function readCatalogue(root: string, language: string, namespace: string): Map<string, string> | null {
  const path = join(root, language, `${namespace}.json`);
  return existsSync(path) ? flatten(JSON.parse(readFileSync(path, 'utf8')) as Tree) : null;
}

function namespacesOf(root: string): string[] {
  const en = join(root, 'en');
  return existsSync(en)
    ? readdirSync(en)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
    : [];
}

/** The keys a language must have for English's: a plural's base expanded into the language's own forms. */
function expectedKeys(english: Map<string, string>, language: string): Set<string> {
  const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of english.keys()) {
    const plural = PLURAL.exec(key);
    if (plural === null) keys.add(key);
    else for (const form of forms) keys.add(`${key.slice(0, plural.index)}_${form}`);
  }
  return keys;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();

/** English's placeholders for a key: a plural form's are its `_other` sibling's (or any sibling's). */
function englishPlaceholders(english: Map<string, string>, key: string): string[] {
  const plural = PLURAL.exec(key);
  if (plural === null) return placeholders(english.get(key) ?? '');
  const base = key.slice(0, plural.index);
  const names = new Set<string>();
  for (const [k, v] of english)
    if (k.startsWith(`${base}_`) && PLURAL.test(k)) placeholders(v).forEach((n) => names.add(n));
  return [...names].sort();
}

describe.each(Object.entries(ROOTS))('%s catalogues', (_, root) => {
  const namespaces = namespacesOf(root);

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every key English has, and no other', (language) => {
    const problems: string[] = [];
    for (const namespace of namespaces) {
      const english = readCatalogue(root, 'en', namespace)!;
      const translated = readCatalogue(root, language, namespace);
      if (translated === null) {
        problems.push(`${namespace}.json is missing`);
        continue;
      }
      const expected = expectedKeys(english, language);
      for (const key of expected) {
        const text = translated.get(key);
        if (text === undefined) problems.push(`${namespace}: ${key} missing`);
        else if (text.trim() === '') problems.push(`${namespace}: ${key} empty`);
        else {
          // A plural form may leave its number out ("one" in Arabic reads "a single…"), never add one.
          const wanted = englishPlaceholders(english, key);
          const got = placeholders(text);
          const unknown = got.filter((name) => !wanted.includes(name));
          const dropped = PLURAL.test(key) ? [] : wanted.filter((name) => !got.includes(name));
          if (unknown.length > 0 || dropped.length > 0)
            problems.push(
              `${namespace}: ${key} placeholders ${JSON.stringify(got)} ≠ ${JSON.stringify(wanted)}`,
            );
        }
      }
      for (const key of translated.keys())
        if (!expected.has(key))
          problems.push(`${namespace}: ${key} is not an English key (or not a form ${language} has)`);
    }
    expect(problems).toEqual([]);
  });

  it('English has no empty text and no stray language folder', () => {
    for (const namespace of namespaces)
      for (const [key, text] of readCatalogue(root, 'en', namespace)!)
        expect(text.trim(), `${namespace}: ${key}`).not.toBe('');
    if (existsSync(root))
      for (const folder of readdirSync(root)) expect(LANGUAGES as readonly string[]).toContain(folder);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the web panel code', () => {
  it('names only keys the English catalogue has', () => {
    const english = new Map(namespacesOf(ROOTS.web).map((ns) => [ns, readCatalogue(ROOTS.web, 'en', ns)!]));
    const has = (namespace: string, key: string) => {
      const catalogue = english.get(namespace);
      if (catalogue === undefined) return false;
      return (
        catalogue.has(key) || [...catalogue.keys()].some((k) => k.startsWith(`${key}_`) && PLURAL.test(k))
      );
    };
    const missing: string[] = [];
    for (const file of sourceFiles(WEB_SRC)) {
      const text = readFileSync(file, 'utf8');
      const declared = [...text.matchAll(/useTranslation\(\s*(?:'([\w-]+)'|\[([^\]]*)\])?/g)].flatMap((m) =>
        m[1] !== undefined
          ? [m[1]]
          : m[2] !== undefined
            ? [...m[2].matchAll(/'([\w-]+)'/g)].map((n) => n[1]!)
            : ['common'],
      );
      const namespaces = [...new Set([...declared, 'common'])];
      for (const match of text.matchAll(/\b(?:t|i18n\.t)\(\s*'([^'$]+)'/g)) {
        const name = match[1]!;
        const [namespace, key] = name.includes(':') ? (name.split(':', 2) as [string, string]) : [null, name];
        const found = namespace !== null ? has(namespace, key) : namespaces.some((ns) => has(ns, key));
        if (!found) missing.push(`${file.slice(WEB_SRC.length)}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('words every failure of the server (domain/errors.ts) in the errors catalogue, by its code', () => {
    const failures = readFileSync(
      fileURLToPath(new URL('../../server/src/domain/errors.ts', import.meta.url)),
      'utf8',
    );
    const union = failures.slice(
      failures.indexOf('export type Failure'),
      failures.indexOf('export type FailureCode'),
    );
    const codes = [...union.matchAll(/\{ code: '([A-Z_0-9]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(60);
    const english = readCatalogue(ROOTS.web, 'en', 'errors')!;
    expect(codes.filter((code) => !english.has(code))).toEqual([]);
  });
});
