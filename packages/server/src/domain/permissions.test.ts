import { describe, expect, it } from 'vitest';
import { PERMISSIONS, can, isStaffRole, permissionsOf } from './permissions.js';

describe('staff permissions', () => {
  it('gives the owner everything and a customer nothing', () => {
    expect(permissionsOf('owner')).toEqual([...PERMISSIONS]);
    expect(permissionsOf('customer')).toEqual([]);
    for (const permission of PERMISSIONS) {
      expect(can('owner', permission)).toBe(true);
      expect(can('customer', permission)).toBe(false);
    }
    expect(isStaffRole('customer')).toBe(false);
    expect(isStaffRole('support')).toBe(true);
  });

  it("keeps a manager from the panel's money settings, its providers' secrets, its staff and its settings", () => {
    const denied = PERMISSIONS.filter((permission) => !can('manager', permission));
    expect(denied).toEqual(['staff.manage', 'providers.write', 'payments.settings', 'settings.write']);
  });

  it('lets support read customers and orders, answer tickets, and act on refills and cancels only', () => {
    expect(permissionsOf('support')).toEqual([
      'dashboard.read',
      'users.read',
      'orders.read',
      'refills.act',
      'cancels.act',
      'tickets.read',
      'tickets.reply',
    ]);
  });
});
