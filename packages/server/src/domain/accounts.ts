import { readStoredValue } from './stored-value.js';

/**
 * Customers buy; staff run the panel: the owner (everything the CLI does), managers and support
 * (see `permissions.ts` for what each may do).
 */
export const USER_ROLES = ['customer', 'owner', 'manager', 'support'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A suspended user's keys answer "Invalid API key" and they cannot log in. */
export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export function isUserStatus(value: string): value is UserStatus {
  return (USER_STATUSES as readonly string[]).includes(value);
}

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

export function readUserRole(stored: string): UserRole {
  return readStoredValue(USER_ROLES, stored, 'user role');
}

export function readUserStatus(stored: string): UserStatus {
  return readStoredValue(USER_STATUSES, stored, 'user status');
}
