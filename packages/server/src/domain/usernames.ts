/**
 * Usernames are compared by their key: Unicode NFKC, then lower case. `Admin`, `ADMIN` and the
 * full-width `ａｄｍｉｎ` are all `admin`, so none of them can be a second account beside it.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/**
 * Names a visitor may not sign up with: they would pass for the panel's own staff. The owner can
 * still create them from the command line.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'admin',
  'administrator',
  'root',
  'support',
  'system',
  'owner',
  'staff',
  'moderator',
  'mod',
  'api',
  'help',
  'helpdesk',
  'billing',
  'security',
  'abuse',
  'postmaster',
  'webmaster',
  'hostmaster',
  'info',
  'smmkit',
  'panel',
  'manager',
  'official',
  'service',
  'null',
  'undefined',
]);

export function isReservedUsername(username: string): boolean {
  return RESERVED_USERNAMES.has(usernameKey(username));
}
