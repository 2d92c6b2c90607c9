import { type Language, isLanguage } from '@smmkit/contract/languages';
import { type Result, fail, ok } from '../../domain/errors.js';
import { setUserLanguage } from '../../store/users.js';
import type { Context } from '../context.js';

/**
 * Saves the language a user chose for the web panel and their emails; null forgets the choice, so
 * their browser and then the panel's default decide again.
 */
export async function chooseLanguage(
  ctx: Context,
  input: { userId: number; language: string | null },
): Promise<Result<{ language: Language | null }>> {
  const language = input.language;
  if (language !== null && !isLanguage(language))
    return fail({ code: 'INVALID_INPUT', field: 'language', reason: 'not one the panel speaks' });
  const saved = await setUserLanguage(ctx.db, input.userId, language);
  if (!saved) return fail({ code: 'USER_NOT_FOUND', username: `#${input.userId}` });
  return ok({ language });
}
