import busboy from 'busboy';

/** Request parameters, flattened to text: what every API v2 client sends in one form or another. */
export type Params = Record<string, string>;

/** A body that cannot be read as parameters (malformed JSON, a JSON array, nested objects…). */
export class MalformedParams extends Error {}

/** Lists may arrive as arrays (JSON, `orders[]=1&orders[]=2`): ids join with commas, the rest with newlines. */
const COMMA_LISTS = new Set(['orders', 'refills']);

function setParam(params: Params, rawName: string, value: unknown): void {
  const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
  if (name === '' || name === '__proto__') return;
  if (Array.isArray(value)) {
    const items = value.map((item) => scalar(item));
    params[name] = items.join(COMMA_LISTS.has(name) ? ',' : '\n');
    return;
  }
  params[name] = scalar(value);
}

function scalar(value: unknown): string {
  // No text the panel stores or looks up may hold a NUL (PostgreSQL TEXT cannot): refused at the edge.
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new MalformedParams('parameters must not contain NUL');
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new MalformedParams('parameters must be strings or numbers');
}

/**
 * Form fields (a body or a query string). PHP semantics: a repeated plain name keeps its last
 * value; `name[]` collects into a list. Runs on every API request: no list map unless a list is sent.
 */
export function paramsFromQueryString(body: string): Params {
  const params: Params = Object.create(null) as Params;
  let arrays: Map<string, string[]> | null = null;
  for (const [name, value] of new URLSearchParams(body)) {
    if (name.endsWith('[]')) {
      arrays ??= new Map();
      const list = arrays.get(name);
      if (list) list.push(value);
      else arrays.set(name, [value]);
    } else {
      setParam(params, name, value);
    }
  }
  if (arrays) for (const [name, list] of arrays) setParam(params, name, list);
  return params;
}

function fromJson(body: string): Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedParams('malformed JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MalformedParams('a JSON body must be an object');
  }
  const params: Params = Object.create(null) as Params;
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    setParam(params, name, value);
  }
  return params;
}

/** The body's media type, lowercase and without parameters ("" when none was sent). */
function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const end = contentType.indexOf(';');
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

/** Whether the body is read by `paramsFromMultipart` (asynchronously) rather than `paramsFromBody`. */
export function isMultipart(contentType: string): boolean {
  return mediaType(contentType) === 'multipart/form-data';
}

/** A `multipart/form-data` body's fields (files are drained and ignored). */
export function paramsFromMultipart(body: Buffer, contentType: string): Promise<Params> {
  if (body.length === 0) return Promise.resolve(Object.create(null) as Params);
  return new Promise((resolve, reject) => {
    const params: Params = Object.create(null) as Params;
    const arrays = new Map<string, string[]>();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: body.length + 1 } });
    } catch {
      reject(new MalformedParams('malformed multipart body'));
      return;
    }
    // busboy emits from inside its stream: a refusal thrown there would escape this promise and
    // crash the process, so it is kept and answered when the body has been read.
    let refusal: Error | null = null;
    parser.on('field', (name, value) => {
      // busboy reports a part with an empty (or no) name as `undefined`: it carries no parameter.
      if (!name || refusal !== null) return;
      if (name.endsWith('[]')) arrays.set(name, [...(arrays.get(name) ?? []), value]);
      else {
        try {
          setParam(params, name, value);
        } catch (error) {
          refusal = error instanceof Error ? error : new MalformedParams('malformed multipart body');
        }
      }
    });
    // Files carry no API v2 parameter: drain and ignore them.
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('error', () => reject(new MalformedParams('malformed multipart body')));
    parser.on('close', () => {
      try {
        if (refusal !== null) throw refusal;
        for (const [name, list] of arrays) setParam(params, name, list);
        resolve(params);
      } catch (error) {
        reject(error instanceof MalformedParams ? error : new MalformedParams('malformed multipart body'));
      }
    });
    parser.end(body);
  });
}

/**
 * Reads a body that is not multipart (see `isMultipart`) as parameters, synchronously: JSON by
 * its content type, anything else as a form, as PHP does with a body posted without a content type.
 */
export function paramsFromBody(body: Buffer, contentType: string | undefined): Params {
  if (body.length === 0) return Object.create(null) as Params;
  const type = mediaType(contentType);
  const text = body.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) return fromJson(text);
  return paramsFromQueryString(text);
}
