import { createHash } from 'node:crypto';
import type { RawParams } from '../../domain/order-request.js';

/** Parameters that identify the request itself rather than what it asks for. */
const NOT_PART_OF_REQUEST = new Set(['key', 'action', 'request_id']);

/** A stable digest of what an `add` asks for: the same key with other parameters is refused. */
export function requestFingerprint(params: RawParams): string {
  const entries = Object.entries(params)
    .filter(([name, value]) => !NOT_PART_OF_REQUEST.has(name) && value !== undefined && value.trim() !== '')
    .map(([name, value]) => [name, (value ?? '').trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
