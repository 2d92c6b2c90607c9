import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';

/**
 * The panel's sign-in settings: whether visitors may sign up (false: invite-only, the admin creates
 * users), and whether every staff member must use two-factor sign-in.
 */
export const SecuritySettings = Type.Object(
  { signUpOpen: Type.Boolean(), staffTwoFactorRequired: Type.Boolean() },
  { title: 'SecuritySettings', additionalProperties: false },
);
export type SecuritySettings = Static<typeof SecuritySettings>;

export const getSecuritySettings = endpoint('GET', '/admin/security', { answer: SecuritySettings });
export const saveSecuritySettings = endpoint('PUT', '/admin/security', {
  body: SecuritySettings,
  answer: SecuritySettings,
});
