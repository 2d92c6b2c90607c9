import { type Static, Type } from 'typebox';
import { endpoint } from '../endpoint.js';
import { LanguageCode, PanelSettings } from '../session.js';

/**
 * Checked by the server: a name of 1-60 characters. The currency is SMMKIT_CURRENCY (API v2 and the
 * web alike) and read-only: a `currency` sent must be that one.
 */
export const SettingsBody = Type.Object(
  {
    panelName: Type.String({ maxLength: 60 }),
    currency: Type.Optional(Type.String({ maxLength: 3 })),
    defaultLanguage: Type.Optional(LanguageCode),
  },
  { title: 'SettingsBody', additionalProperties: false },
);
export type SettingsBody = Static<typeof SettingsBody>;

export const getSettings = endpoint('GET', '/admin/settings', { answer: PanelSettings });
export const saveSettings = endpoint('PUT', '/admin/settings', { body: SettingsBody, answer: PanelSettings });
