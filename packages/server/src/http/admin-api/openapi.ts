import { ADMIN_API, type AdminApiEndpoint, Problem } from '@smmkit/contract/admin-api';

type Schema = Record<string, unknown>;

/** Plain JSON of a TypeBox schema; every titled object becomes a component, referenced where it is used. */
function hoist(schema: unknown, components: Record<string, Schema>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => hoist(item, components));
  if (typeof schema !== 'object' || schema === null) return schema;
  const plain: Schema = {};
  for (const [key, value] of Object.entries(schema)) plain[key] = hoist(value, components);
  const title = plain.title;
  if (typeof title !== 'string') return plain;
  const known = components[title];
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(plain)) {
    throw new Error(`two shapes are titled ${title}: one definition per shape`);
  }
  components[title] = plain;
  return { $ref: `#/components/schemas/${title}` };
}

function parametersOf(schema: unknown, where: 'path' | 'query'): Schema[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const { properties = {}, required = [] } = schema as { properties?: Schema; required?: string[] };
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = JSON.parse(JSON.stringify(property)) as Schema;
    return {
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

const problemAnswer = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operationOf(name: string, endpoint: AdminApiEndpoint, components: Record<string, Schema>): Schema {
  const { schema } = endpoint;
  const parts = schema as { params?: unknown; querystring?: unknown; body?: unknown };
  const parameters = [...parametersOf(parts.params, 'path'), ...parametersOf(parts.querystring, 'query')];
  if (endpoint.method === 'POST') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Up to 255 printable characters: the same key with the same request within 24 hours replays the first answer and runs nothing; with another request: 422',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return {
    operationId: name,
    summary: endpoint.summary,
    description: `Needs the permission \`${endpoint.permission}\` (the web admin's role table).`,
    'x-permission': endpoint.permission,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(parts.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: hoist(parts.body, components) } },
          },
        }),
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: hoist(schema.response[200], components) } },
      },
      '400': problemAnswer('The request does not fit the schema, or a value is refused'),
      '401': problemAnswer('No token, an unknown or revoked token, or a suspended holder'),
      '403': problemAnswer("The token holder's role lacks the permission"),
      default: problemAnswer('Any other failure (404, 409, 422, 502…), as a problem'),
    },
  };
}

/**
 * The admin API's OpenAPI 3.1 document, generated from the contract's endpoints: the same TypeBox
 * schemas that validate the requests and serialise the answers, each titled shape one component.
 */
export function adminApiOpenApi(serverUrl: string): Schema {
  const components: Record<string, Schema> = {};
  const paths: Record<string, Record<string, Schema>> = {};
  for (const [name, endpoint] of Object.entries(ADMIN_API) as [string, AdminApiEndpoint][]) {
    const path = endpoint.url.replace(/:(\w+)/g, '{$1}');
    paths[path] = {
      ...paths[path],
      [endpoint.method.toLowerCase()]: operationOf(name, endpoint, components),
    };
  }
  hoist(Problem, components);
  return {
    openapi: '3.1.0',
    info: {
      title: 'smmkit admin API',
      version: '1',
      description: [
        'Automate the panel: the same operations as the web admin, with the permissions of your staff role.',
        '',
        '**Authentication**: `Authorization: Bearer <token>`; create a token in the panel (your profile) or with `smmkit token create --username U --name NAME`.',
        '',
        '**Pagination**: lists answer `{"data": [...], "next_cursor": "..."}`; pass `next_cursor` back as `cursor` for the next page (null: the last page). `limit` is 1-200 (default 50). Cursors are opaque and stable under inserts (keyset, not offset).',
        '',
        '**Idempotency**: every POST takes an `Idempotency-Key` header (kept 24 hours per token). The same key and request replay the first answer (header `Idempotent-Replayed: true`); the same key with another request is refused with 422.',
        '',
        '**Errors**: every non-2xx answer is `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`, and `code`.',
      ].join('\n'),
    },
    servers: [{ url: `${serverUrl}/admin-api/v1` }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an admin API token' } },
    },
  };
}
