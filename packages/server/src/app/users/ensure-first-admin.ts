import { countUsers } from '../../store/users.js';
import type { Context } from '../context.js';
import { type CreatedUser, createUser } from './create-user.js';
import { generatePassword } from './credentials.js';

/** On a panel's first start, creates the owner's admin account so the panel is usable at once. */
export async function ensureFirstAdmin(ctx: Context): Promise<(CreatedUser & { password: string }) | null> {
  if ((await countUsers(ctx.db)) > 0) return null;
  const password = generatePassword();
  const created = await createUser(ctx, { username: 'admin', password, role: 'owner' });
  // Another process created the first user meanwhile: nothing to announce.
  return created.ok ? { ...created.value, password } : null;
}
