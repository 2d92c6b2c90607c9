import type { Permission } from '@smmkit/contract';
import { useSession } from './session.js';

/**
 * Whether the session's staff role may do this (the server's permission table, as the session
 * lists it). The admin UI shows each role only what it may do; the server refuses the rest anyway.
 */
export function useCan(): (permission: Permission) => boolean {
  const { user } = useSession();
  return (permission) => user?.permissions.includes(permission) ?? false;
}
