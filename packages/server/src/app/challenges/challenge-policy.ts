/**
 * The proof-of-work challenge (ALTCHA, solved in the visitor's browser): on by default
 * (`SMMKIT_CHALLENGE=off` turns it off for sign-up and login alike), and the sign-up throttle.
 */
export interface SignInPolicy {
  /** Whether sign-up, and logins past the failure allowance, need a solved challenge. */
  readonly challenge: boolean;
  /** Sign-ups per client address per hour; 0: no limit. */
  readonly signUpsPerHour: number;
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = { challenge: true, signUpsPerHour: 20 };
