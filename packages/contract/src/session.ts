import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { PERMISSIONS, STAFF_ROLES } from './permissions.js';
import { Id, List, Money, Nullable, StringEnum } from './primitives.js';

/** The panel's name and the currency it shows money in. */
export const PanelSettings = Type.Object(
  { panelName: Type.String(), currency: Type.String() },
  { title: 'PanelSettings' },
);
export type PanelSettings = Static<typeof PanelSettings>;

/** Who a user is to the web panel: a customer, or staff (`admin`, whatever their staff role). */
export const USER_ROLES = ['customer', 'admin'] as const;

export const SessionUser = Type.Object(
  {
    id: Id,
    username: Type.String(),
    role: StringEnum(USER_ROLES),
    balance: Money,
    /** Staff only: owner, manager or support (null for a customer). */
    staffRole: Nullable(StringEnum(STAFF_ROLES)),
    /** What this user may do in the admin area (empty for a customer). */
    permissions: List(StringEnum(PERMISSIONS)),
  },
  { title: 'SessionUser' },
);
export type SessionUser = Static<typeof SessionUser>;

/**
 * Who is logged in (null: nobody) and the CSRF token every state-changing request must carry;
 * `emailEnabled`: whether the panel sends email (SMMKIT_SMTP_URL), so pages can say when it is off.
 */
export const SessionAnswer = Type.Object(
  {
    panel: PanelSettings,
    user: Nullable(SessionUser),
    csrfToken: Nullable(Type.String()),
    emailEnabled: Type.Boolean(),
  },
  { title: 'SessionAnswer' },
);
export type SessionAnswer = Static<typeof SessionAnswer>;

export const Credentials = Type.Object(
  { username: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 1024 }) },
  { title: 'Credentials', additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

/** A new session: the cookie is set on the answer, the CSRF token is in it. */
export const StartedSession = Type.Object({ csrfToken: Type.String() }, { title: 'StartedSession' });
export type StartedSession = Static<typeof StartedSession>;

export const LoggedOut = Type.Object({ ok: Type.Literal(true) }, { title: 'LoggedOut' });
export type LoggedOut = Static<typeof LoggedOut>;

export const getSession = endpoint('GET', '/session', { answer: SessionAnswer });
export const logIn = endpoint('POST', '/login', { body: Credentials, answer: StartedSession });
/** Sign-up: credentials and an email address (required; a verification link goes to it). */
export const SignUpBody = Type.Object(
  {
    username: Type.String({ maxLength: 64 }),
    password: Type.String({ maxLength: 1024 }),
    email: Type.String({ maxLength: 254 }),
  },
  { title: 'SignUpBody', additionalProperties: false },
);
export type SignUpBody = Static<typeof SignUpBody>;

export const signUp = endpoint('POST', '/signup', { body: SignUpBody, answer: StartedSession });
export const logOut = endpoint('POST', '/logout', { answer: LoggedOut });
