/**
 * Characters no text a customer sends may hold: C0 controls (U+0000–U+001F), DEL (U+007F), C1
 * controls (U+0080–U+009F) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069). Stored, they are forwarded to providers as they are, and shown to an admin they can
 * make one link look like another (U+202E reverses what follows it).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex -- the same set less CR and LF, which separate lines
const UNSAFE_IN_LINES = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** Whether one-line text (a link, a username, a hashtag…) holds a control or bidi character. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/** Whether multi-line text holds one; CR and LF separate its lines and are allowed. */
export function hasUnsafeCharactersInLines(text: string): boolean {
  return UNSAFE_IN_LINES.test(text);
}
