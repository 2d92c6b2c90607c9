import { type Result, fail, ok } from '../../domain/errors.js';
import { hasUnsafeCharacters } from '../../domain/text-safety.js';
import { BODY_MAX, DESCRIPTION_MAX, TITLE_MAX } from '../../domain/public-site.js';

/** Title, description and Markdown body as an admin sent them, trimmed and checked. */
export function checkPageText(input: {
  title: string;
  description: string;
  body: string;
}): Result<{ title: string; description: string; body: string }> {
  const title = input.title.trim();
  const description = input.description.trim();
  const body = input.body.trim();
  if (title.length > TITLE_MAX || hasUnsafeCharacters(title))
    return fail({
      code: 'INVALID_INPUT',
      field: 'title',
      reason: `one line, at most ${TITLE_MAX} characters`,
    });
  if (description.length > DESCRIPTION_MAX || hasUnsafeCharacters(description))
    return fail({
      code: 'INVALID_INPUT',
      field: 'description',
      reason: `one line, at most ${DESCRIPTION_MAX} characters`,
    });
  if (body.length > BODY_MAX)
    return fail({ code: 'INVALID_INPUT', field: 'body', reason: `at most ${BODY_MAX} characters` });
  return ok({ title, description, body });
}
