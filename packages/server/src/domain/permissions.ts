import { PERMISSIONS, type Permission, type StaffRole } from '@smmkit/contract/permissions';
import type { UserRole } from './accounts.js';

export { PERMISSIONS, type Permission, type StaffRole };

/**
 * What each staff role may do. The owner runs the panel; a manager runs its customers, orders,
 * catalogue and care, but not its money settings, its providers' secrets or its staff; support reads
 * customers and orders, answers tickets, and acts on refills and cancels. Customers hold none.
 */
const MANAGER_DENIED: ReadonlySet<Permission> = new Set([
  'staff.manage',
  'providers.write',
  'payments.settings',
  'settings.write',
]);

const ROLE_PERMISSIONS: Readonly<Record<StaffRole, ReadonlySet<Permission>>> = {
  owner: new Set(PERMISSIONS),
  manager: new Set(PERMISSIONS.filter((permission) => !MANAGER_DENIED.has(permission))),
  support: new Set<Permission>([
    'dashboard.read',
    'users.read',
    'orders.read',
    'refills.act',
    'cancels.act',
    'tickets.read',
    'tickets.reply',
  ]),
};

export function isStaffRole(role: UserRole): role is StaffRole {
  return role !== 'customer';
}

export function can(role: UserRole, permission: Permission): boolean {
  return isStaffRole(role) && ROLE_PERMISSIONS[role].has(permission);
}

/** What the web panel calls a user: a customer, or staff ('admin', whatever their staff role). */
export function webRoleOf(role: UserRole): 'customer' | 'admin' {
  return isStaffRole(role) ? 'admin' : 'customer';
}

/** Every permission of a role, in the table's order (none for a customer). */
export function permissionsOf(role: UserRole): Permission[] {
  return isStaffRole(role) ? PERMISSIONS.filter((permission) => ROLE_PERMISSIONS[role].has(permission)) : [];
}
