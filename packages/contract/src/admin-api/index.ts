/**
 * The admin API (`/admin-api/v1`, bearer tokens): every endpoint defined once with its TypeBox
 * schemas, which the server validates and serialises with and generates the OpenAPI document from
 * (`@smmkit/contract/admin-api`).
 */
export * from './admin-api-endpoint.js';
export * from './endpoints.js';
export * from './tokens.js';
