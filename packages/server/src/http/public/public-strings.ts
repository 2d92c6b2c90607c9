import { translatorFor } from '../../app/languages/translate.js';
import type { PublicLanguage } from '../../domain/public-site.js';

/**
 * A chrome string of the public pages (namespace `public`: packages/server/locales/<language>/public.json)
 * in `language`, `{{name}}` placeholders filled. Plain text: callers escape it for HTML.
 */
export function publicText(
  language: PublicLanguage,
  key: string,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return translatorFor(language, 'public')(key, values);
}
