import { readFileSync } from 'node:fs';
import { PUBLIC_LANGUAGES, type PublicLanguage } from '../../domain/public-site.js';

/**
 * The chrome strings of the public pages (namespace `public`): src/locales/<language>/public.json,
 * read once. The files live in src/ and are read from there by the compiled code too.
 */
const LOCALES = new URL('../../../src/locales/', import.meta.url);

type Strings = Readonly<Record<string, string>>;

const STRINGS: { readonly [L in PublicLanguage]: Strings } = Object.fromEntries(
  PUBLIC_LANGUAGES.map((language) => [
    language,
    JSON.parse(readFileSync(new URL(`${language}/public.json`, LOCALES), 'utf8')) as Strings,
  ]),
) as { [L in PublicLanguage]: Strings };

/** The string `key` in `language` (else English, else the key), `{name}` placeholders filled. */
export function publicText(
  language: PublicLanguage,
  key: string,
  values: Readonly<Record<string, string | number>> = {},
): string {
  const template = STRINGS[language][key] ?? STRINGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}

/** Every key of the English strings (the reference set every language must have). */
export function publicTextKeys(language: PublicLanguage): string[] {
  return Object.keys(STRINGS[language]);
}
