import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { StartedSession } from './session.js';

/** A new TOTP secret: type it in, or scan `otpauthUrl` (the page shows it as a QR code). */
export const TwoFactorSetup = Type.Object(
  { secret: Type.String(), otpauthUrl: Type.String() },
  { title: 'TwoFactorSetup' },
);
export type TwoFactorSetup = Static<typeof TwoFactorSetup>;

export const TwoFactorCode = Type.Object(
  { code: Type.String({ maxLength: 64 }) },
  { title: 'TwoFactorCode', additionalProperties: false },
);
export type TwoFactorCode = Static<typeof TwoFactorCode>;

/** Ten recovery codes, shown once: each logs in once instead of a code from the app. */
export const RecoveryCodes = Type.Object(
  { recoveryCodes: Type.Array(Type.String(), { minItems: 10, maxItems: 10 }) },
  { title: 'RecoveryCodes' },
);
export type RecoveryCodes = Static<typeof RecoveryCodes>;

export const DisableTwoFactorBody = Type.Object(
  { password: Type.String({ maxLength: 1024 }), code: Type.String({ maxLength: 64 }) },
  { title: 'DisableTwoFactorBody', additionalProperties: false },
);
export type DisableTwoFactorBody = Static<typeof DisableTwoFactorBody>;

export const TwoFactorOff = Type.Object({ ok: Type.Literal(true) }, { title: 'TwoFactorOff' });
export type TwoFactorOff = Static<typeof TwoFactorOff>;

/** The second step of a login: a TOTP code or a recovery code (and a solved challenge past the failure allowance). */
export const SecondStepBody = Type.Object(
  { code: Type.String({ maxLength: 64 }), challenge: Type.Optional(Type.String({ maxLength: 4096 })) },
  { title: 'SecondStepBody', additionalProperties: false },
);
export type SecondStepBody = Static<typeof SecondStepBody>;

export const setUpTwoFactor = endpoint('POST', '/2fa/setup', { answer: TwoFactorSetup });
export const enableTwoFactor = endpoint('POST', '/2fa/enable', {
  body: TwoFactorCode,
  answer: RecoveryCodes,
});
export const disableTwoFactor = endpoint('POST', '/2fa/disable', {
  body: DisableTwoFactorBody,
  answer: TwoFactorOff,
});
export const logInSecondStep = endpoint('POST', '/login/2fa', {
  body: SecondStepBody,
  answer: StartedSession,
});
