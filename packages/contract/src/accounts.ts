import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { Nullable } from './primitives.js';
import { LanguageCode } from './session.js';
import { IdParams } from './request-params.js';

/** The answer of an action that has nothing more to say. */
export const Done = Type.Object({ ok: Type.Literal(true) }, { title: 'Done' });
export type Done = Static<typeof Done>;

export const TokenBody = Type.Object(
  { token: Type.String({ maxLength: 200 }) },
  { title: 'TokenBody', additionalProperties: false },
);
export type TokenBody = Static<typeof TokenBody>;

export const EmailBody = Type.Object(
  { email: Type.String({ maxLength: 254 }) },
  { title: 'EmailBody', additionalProperties: false },
);
export type EmailBody = Static<typeof EmailBody>;

export const PasswordChangeBody = Type.Object(
  { current: Type.String({ maxLength: 1024 }), password: Type.String({ maxLength: 1024 }) },
  { title: 'PasswordChangeBody', additionalProperties: false },
);
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const ResetConfirmBody = Type.Object(
  { token: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 1024 }) },
  { title: 'ResetConfirmBody', additionalProperties: false },
);
export type ResetConfirmBody = Static<typeof ResetConfirmBody>;

/** The logged-in user's account: name, address (null: none yet) and whether it is verified. */
export const AccountAnswer = Type.Object(
  { username: Type.String(), email: Nullable(Type.String()), emailVerified: Type.Boolean() },
  { title: 'AccountAnswer' },
);
export type AccountAnswer = Static<typeof AccountAnswer>;

export const ChangedEmail = Type.Object({ email: Type.String() }, { title: 'ChangedEmail' });
export type ChangedEmail = Static<typeof ChangedEmail>;

export const getAccount = endpoint('GET', '/account', { answer: AccountAnswer });
/** Confirms an address from the link `<public url>/verify-email?token=…`. */
export const verifyEmail = endpoint('POST', '/verify-email', { body: TokenBody, answer: Done });
export const changePassword = endpoint('POST', '/password', { body: PasswordChangeBody, answer: Done });
/** Changes the address; it is unverified until its new link is followed. */
export const changeEmail = endpoint('POST', '/email', { body: EmailBody, answer: ChangedEmail });
/** Always `{ ok: true }`, whether or not the address belongs to anyone. */
export const requestPasswordReset = endpoint('POST', '/password-reset', { body: EmailBody, answer: Done });
/** Sets the password from the link `<public url>/reset-password?token=…` and ends every session. */
export const confirmPasswordReset = endpoint('POST', '/password-reset/confirm', {
  body: ResetConfirmBody,
  answer: Done,
});
/** The admin sends a user a reset link (permission users.write). */
export const sendUserPasswordReset = endpoint('POST', '/admin/users/:id/password-reset', {
  params: IdParams,
  answer: Done,
});

/** The language the user chose (null: forget the choice; their browser's, else the panel's, is used). */
export const LanguageBody = Type.Object(
  { language: Nullable(LanguageCode) },
  { title: 'LanguageBody', additionalProperties: false },
);
export type LanguageBody = Static<typeof LanguageBody>;

/** Saves the user's language for the web panel and the emails they are sent. */
export const chooseLanguage = endpoint('PUT', '/account/language', {
  body: LanguageBody,
  answer: LanguageBody,
});

/** The currency the user shows their money in (null: the panel's currency). Display only. */
export const DisplayCurrencyBody = Type.Object(
  { currency: Nullable(Type.String({ maxLength: 10 })) },
  { title: 'DisplayCurrencyBody', additionalProperties: false },
);
export type DisplayCurrencyBody = Static<typeof DisplayCurrencyBody>;

/** Saves the user's display currency: one the admin enabled, or null. */
export const chooseDisplayCurrency = endpoint('PUT', '/account/display-currency', {
  body: DisplayCurrencyBody,
  answer: DisplayCurrencyBody,
});
