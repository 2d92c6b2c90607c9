import { type Static, type TObject, type TSchema, type TUnsafe, Type } from 'typebox';

/**
 * The building blocks every shape of the contract is made of. They emit plain JSON Schema (draft
 * 2020-12, what OpenAPI 3.1 speaks): a nullable value is `type: [..., 'null']` rather than an
 * `anyOf`, so Ajv reports one error for it and fast-json-stringify serialises it without trying
 * branches.
 */

/** Money in the panel currency: a decimal string with exactly 5 decimals ("12.50000"). */
export const Money = Type.String({ description: 'money: a decimal string with 5 decimals' });

/** A rate per 1000: trailing zeros trimmed to at least 2 decimals ("0.90", "0.00123"). */
export const Rate = Type.String({ description: 'rate per 1000: a decimal string, at least 2 decimals' });

/** A moment as an ISO 8601 string in UTC ("2026-11-27T12:00:00.000Z"). */
export const IsoTime = Type.String({ description: 'ISO 8601 time, UTC' });

/** A database id. */
export const Id = Type.Integer();

/** Any JSON value the server stored as given (an order's type parameters, an audit entry's details). */
export const Json = Type.Unknown();

/** `schema` or null. `schema` must have one `type` (a string, number, integer, boolean or object). */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const { type, ...rest } = schema as TSchema & { type?: unknown; enum?: unknown };
  if (typeof type !== 'string') throw new Error('Nullable needs a schema with one type');
  // An enum lists every allowed value: null must be one of them too.
  if (Array.isArray(rest.enum)) rest.enum = [...(rest.enum as unknown[]), null];
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
}

/** One of the given strings. */
export function StringEnum<const V extends readonly string[]>(
  values: V,
  options: { maxLength?: number } = {},
): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: values, ...options });
}

/** An object whose every value is `values`, whatever its keys (`additionalProperties`, which matches every key). */
export function Dictionary<T extends TSchema>(
  values: T,
  options: { maxProperties?: number } = {},
): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', ...options, additionalProperties: values });
}

/** An array the receiver reads but does not change (so the server may answer with readonly arrays). */
export function List<T extends TSchema>(items: T, options: { maxItems?: number } = {}) {
  return Type.Immutable(Type.Array(items, options));
}

/**
 * An object with an optional property among required ones, sent in the order its properties are
 * given. fast-json-stringify writes the properties listed in `required` first, so the JSON Schema
 * lists as required only those before the first optional one; the static type is unchanged.
 */
export function InOrder<T extends TObject>(object: T): TUnsafe<Static<T>> {
  const keys = Object.keys(object.properties);
  const required: readonly string[] = object.required ?? [];
  const firstOptional = keys.findIndex((key) => !required.includes(key));
  const { required: _all, ...rest } = object;
  return Type.Unsafe<Static<T>>({
    ...rest,
    required: firstOptional === -1 ? keys : keys.slice(0, firstOptional),
  });
}
