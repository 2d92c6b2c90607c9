import { type Failure } from '../../domain/errors.js';
import { TICKET_MESSAGE_MAX } from '../../domain/tickets.js';

/** A message as stored: trimmed plain text, 1 to 5000 characters. */
export function readTicketMessage(
  text: string,
): { ok: true; body: string } | { ok: false; failure: Failure } {
  const body = text.trim();
  if (body === '' || body.length > TICKET_MESSAGE_MAX) {
    return {
      ok: false,
      failure: { code: 'INVALID_INPUT', field: 'message', reason: `1-${TICKET_MESSAGE_MAX} characters` },
    };
  }
  return { ok: true, body };
}
