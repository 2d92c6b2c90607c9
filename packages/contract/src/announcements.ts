import { type Static, Type } from 'typebox';
import { Done } from './accounts.js';
import { endpoint } from './endpoint.js';
import { Id, IsoTime, List } from './primitives.js';
import { IdParams } from './request-params.js';

/** `html`: the Markdown body rendered and sanitized by the server. */
export const AnnouncementView = Type.Object(
  { id: Id, title: Type.String(), html: Type.String(), createdAt: IsoTime, unread: Type.Boolean() },
  { title: 'AnnouncementView' },
);
export type AnnouncementView = Static<typeof AnnouncementView>;

export const AnnouncementList = Type.Object(
  { announcements: List(AnnouncementView), unread: Type.Integer() },
  { title: 'AnnouncementList' },
);
export type AnnouncementList = Static<typeof AnnouncementList>;

export const AdminAnnouncement = Type.Object(
  { id: Id, title: Type.String(), body: Type.String(), html: Type.String(), createdAt: IsoTime },
  { title: 'AdminAnnouncement' },
);
export type AdminAnnouncement = Static<typeof AdminAnnouncement>;

export const AdminAnnouncementList = Type.Object(
  { announcements: List(AdminAnnouncement) },
  { title: 'AdminAnnouncementList' },
);
export type AdminAnnouncementList = Static<typeof AdminAnnouncementList>;

export const AnnouncementBody = Type.Object(
  { title: Type.String({ maxLength: 200 }), body: Type.String({ maxLength: 20_000 }) },
  { title: 'AnnouncementBody', additionalProperties: false },
);
export type AnnouncementBody = Static<typeof AnnouncementBody>;

/** Marks read up to `upTo` (the newest announcement the user was shown), or every one so far without it. */
export const ReadAnnouncementsBody = Type.Object(
  { upTo: Type.Optional(Id) },
  { title: 'ReadAnnouncementsBody', additionalProperties: false },
);
export type ReadAnnouncementsBody = Static<typeof ReadAnnouncementsBody>;

export const AnnouncementPreviewBody = Type.Object(
  { body: Type.String({ maxLength: 20_000 }) },
  { title: 'AnnouncementPreviewBody', additionalProperties: false },
);
export type AnnouncementPreviewBody = Static<typeof AnnouncementPreviewBody>;

/** `html`: the body as customers would see it, rendered and sanitized by the server. */
export const AnnouncementPreview = Type.Object({ html: Type.String() }, { title: 'AnnouncementPreview' });
export type AnnouncementPreview = Static<typeof AnnouncementPreview>;

export const NewAnnouncement = Type.Object({ id: Id }, { title: 'NewAnnouncement' });
export type NewAnnouncement = Static<typeof NewAnnouncement>;

export const listAnnouncements = endpoint('GET', '/announcements', { answer: AnnouncementList });
/** Marks the announcements shown as read (up to `upTo`; without it, every one so far). */
export const readAnnouncements = endpoint('POST', '/announcements/read', {
  body: ReadAnnouncementsBody,
  answer: Done,
});
export const listAdminAnnouncements = endpoint('GET', '/admin/announcements', {
  answer: AdminAnnouncementList,
});
export const postAnnouncement = endpoint('POST', '/admin/announcements', {
  body: AnnouncementBody,
  answer: NewAnnouncement,
});
/** Renders a draft's Markdown as it would be shown; stores nothing. */
export const previewAnnouncement = endpoint('POST', '/admin/announcements/preview', {
  body: AnnouncementPreviewBody,
  answer: AnnouncementPreview,
});
export const deleteAnnouncement = endpoint('DELETE', '/admin/announcements/:id', {
  params: IdParams,
  answer: Done,
});
