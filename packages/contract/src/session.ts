import { type Static, Type } from 'typebox';
import { endpoint } from './endpoint.js';
import { LANGUAGES } from './languages.js';
import { PERMISSIONS, STAFF_ROLES } from './permissions.js';
import { Id, List, Money, Nullable, StringEnum } from './primitives.js';

/** A language the panel speaks (see languages.ts). */
export const LanguageCode = StringEnum(LANGUAGES);

/** Colours derived from the primary colour so that text on it and links stay readable (`#rrggbb`). */
export const BrandColours = Type.Object(
  {
    primary: Type.String(),
    /** Black or white: the text on the primary colour. */
    onPrimary: Type.String(),
    /** Links on the light page: the primary colour, darkened to reach 4.5:1 when needed. */
    link: Type.String(),
    primaryHover: Type.String(),
    linkDark: Type.String(),
  },
  { title: 'BrandColours' },
);
export type BrandColours = Static<typeof BrandColours>;

/** The panel's name, the currency it shows money in, the language it speaks by default, and its branding. */
export const PanelSettings = Type.Object(
  {
    panelName: Type.String(),
    currency: Type.String(),
    defaultLanguage: LanguageCode,
    /** The admin's primary colour (`#rrggbb`); null: the panel's default. */
    primaryColour: Nullable(Type.String()),
    /** The palette in use (the default one while primaryColour is null). */
    colours: BrandColours,
    /** The uploaded logo's versioned URL (`/brand/logo?v=…`), or null. */
    logoUrl: Nullable(Type.String()),
    /** The uploaded favicon's versioned URL (`/brand/favicon?v=…`), or null. */
    faviconUrl: Nullable(Type.String()),
  },
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
    /** Set while a staff member is signed in as this customer (see impersonation.ts). */
    impersonatedBy: Type.Optional(Nullable(Type.Object({ id: Id, username: Type.String() }))),
    /** Whether the user's logins need a code from their authenticator app. */
    twoFactor: Type.Boolean(),
    /** The language the user chose for the panel and their emails; null: their browser's, else the panel's. */
    language: Nullable(LanguageCode),
    /** Staff without 2FA while the panel requires it: the admin area is closed until they set it up. */
    twoFactorSetupRequired: Type.Boolean(),
  },
  { title: 'SessionUser' },
);
export type SessionUser = Static<typeof SessionUser>;

/** How a visitor gets in: whether sign-up is open, and whether it (and a login past the failure allowance) needs a solved challenge. */
export const SignInOptions = Type.Object(
  { signUpOpen: Type.Boolean(), challenge: Type.Boolean() },
  { title: 'SignInOptions' },
);
export type SignInOptions = Static<typeof SignInOptions>;

/** A currency money may be shown in, with its rate (panel-currency units per unit, e.g. "1.0845"). */
export const DisplayCurrency = Type.Object(
  { code: Type.String(), rate: Type.String() },
  { title: 'DisplayCurrency' },
);
export type DisplayCurrency = Static<typeof DisplayCurrency>;

/** Who is logged in (null: nobody) and the CSRF token every state-changing request must carry. */
export const SessionAnswer = Type.Object(
  {
    panel: PanelSettings,
    user: Nullable(SessionUser),
    csrfToken: Nullable(Type.String()),
    signIn: SignInOptions,
    /** Whether the panel sends email (SMMKIT_SMTP_URL), so pages can say when it is off. */
    emailEnabled: Type.Boolean(),
    /**
     * The language to show: the user's choice, else the visitor's cookie (smmkit_lang), else their
     * browser's Accept-Language, else the panel's default.
     */
    language: LanguageCode,
    /**
     * The currency the user shows money in, approximately (display only: the ledger, charges and
     * API v2 stay in the panel's currency); null: none chosen, or it lost its rate or was disabled.
     */
    displayCurrency: Nullable(DisplayCurrency),
    /** The currencies the admin enabled for display (for the picker). */
    displayCurrencies: List(DisplayCurrency),
  },
  { title: 'SessionAnswer' },
);
export type SessionAnswer = Static<typeof SessionAnswer>;

export const Credentials = Type.Object(
  {
    username: Type.String({ maxLength: 64 }),
    password: Type.String({ maxLength: 1024 }),
    /** A solved challenge (see Challenge): always for sign-up, for a login past the failure allowance. */
    challenge: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { title: 'Credentials', additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

/** A new session: the cookie is set on the answer, the CSRF token is in it. */
export const StartedSession = Type.Object({ csrfToken: Type.String() }, { title: 'StartedSession' });
export type StartedSession = Static<typeof StartedSession>;

/** A login with 2FA on: no session yet, a short-lived pending-login cookie; send the code to /login/2fa. */
export const TwoFactorRequired = Type.Object(
  { twoFactorRequired: Type.Literal(true) },
  { title: 'TwoFactorRequired' },
);
export type TwoFactorRequired = Static<typeof TwoFactorRequired>;

export const LogInAnswer = Type.Union([StartedSession, TwoFactorRequired], { title: 'LogInAnswer' });
export type LogInAnswer = Static<typeof LogInAnswer>;

export const LoggedOut = Type.Object({ ok: Type.Literal(true) }, { title: 'LoggedOut' });
export type LoggedOut = Static<typeof LoggedOut>;

export const getSession = endpoint('GET', '/session', { answer: SessionAnswer });
export const logIn = endpoint('POST', '/login', { body: Credentials, answer: LogInAnswer });
/** Sign-up: credentials, a solved challenge (while on) and an email address (required; a verification link goes to it). */
export const SignUpBody = Type.Object(
  {
    username: Type.String({ maxLength: 64 }),
    password: Type.String({ maxLength: 1024 }),
    email: Type.String({ maxLength: 254 }),
    challenge: Type.Optional(Type.String({ maxLength: 4096 })),
    /** An affiliate's referral code; unknown or malformed: the sign-up goes ahead, attributed to nobody. */
    referral: Type.Optional(Nullable(Type.String({ maxLength: 4096 }))),
  },
  { title: 'SignUpBody', additionalProperties: false },
);
export type SignUpBody = Static<typeof SignUpBody>;

export const signUp = endpoint('POST', '/signup', { body: SignUpBody, answer: StartedSession });
export const logOut = endpoint('POST', '/logout', { answer: LoggedOut });
