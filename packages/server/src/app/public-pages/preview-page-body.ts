import { type Result, fail, ok } from '../../domain/errors.js';
import { BODY_MAX } from '../../domain/public-site.js';
import { renderAnnouncement as renderMarkdown } from '../announcements/render-markdown.js';

/** A draft body as visitors would see it (the same renderer and sanitizer as saving); nothing stored. */
export function previewPageBody(input: { body: string }): Result<{ html: string }> {
  const body = input.body.trim();
  if (body.length > BODY_MAX)
    return fail({ code: 'INVALID_INPUT', field: 'body', reason: `at most ${BODY_MAX} characters` });
  return ok({ html: body === '' ? '' : renderMarkdown(body) });
}
