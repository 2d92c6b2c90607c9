import { type Language, isLanguage, languageOf, negotiateLanguage } from '@smmkit/contract/languages';

/**
 * The language a page is shown in: the signed-in user's saved choice, else the visitor's choice kept in
 * the language cookie, else the best match of their browser's Accept-Language, else the panel's default.
 */
export function languageOfRequest(input: {
  userLanguage: string | null | undefined;
  cookieLanguage: string | undefined;
  acceptLanguage: string | undefined;
  panelDefault: Language;
}): Language {
  if (isLanguage(input.userLanguage)) return input.userLanguage;
  const chosen = input.cookieLanguage === undefined ? null : languageOf(input.cookieLanguage);
  if (chosen !== null) return chosen;
  return negotiateLanguage(input.acceptLanguage, input.panelDefault);
}
