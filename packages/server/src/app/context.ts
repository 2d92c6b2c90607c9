import type { Database } from '../store/database.js';
import { PLAIN_SECRETS, type SecretBox } from './secrets/secret-box.js';

/** Everything time-based reads this clock, so tests move time instead of sleeping. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Who is calling: an API key's user, the owner at the command line, or the panel itself. */
export type Actor =
  | {
      readonly kind: 'user';
      readonly userId: number;
      /** A staff member signed in as this user: they act, on the user's behalf. */
      readonly impersonatorId?: number;
      /** Acting through an admin API token: its name, recorded with every audited action. */
      readonly tokenName?: string;
    }
  | { readonly kind: 'cli' }
  | { readonly kind: 'system' };

export interface Context {
  readonly db: Database;
  readonly clock: Clock;
  readonly actor: Actor;
  /** ISO code shown next to money in API answers. */
  readonly currency: string;
  /** Seals and opens secrets at rest (SMMKIT_SECRET_KEY); absent: stored as given. */
  readonly secrets?: SecretBox;
  /** Email as use cases see it; absent or not enabled: nothing is queued. */
  readonly mail?: MailSettings;
}

export function secretsOf(ctx: Context): SecretBox {
  return ctx.secrets ?? PLAIN_SECRETS;
}

/** Whether messages are queued (SMMKIT_SMTP_URL set), the base of their links, the admin's address. */
export interface MailSettings {
  readonly enabled: boolean;
  readonly publicUrl: string;
  readonly adminEmail: string | null;
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      if (actor.tokenName !== undefined) return `user:${actor.userId} token:${actor.tokenName}`;
      return actor.impersonatorId === undefined
        ? `user:${actor.userId}`
        : `user:${actor.impersonatorId} as user:${actor.userId}`;
    case 'cli':
      return 'cli';
    case 'system':
      return 'system';
  }
}
