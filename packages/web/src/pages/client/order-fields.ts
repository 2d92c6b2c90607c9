/** How the order form asks for each `add` parameter (the set itself comes from the server's type table). */
export const PARAM_LABELS: Record<
  string,
  { label: string; multiline?: boolean; numeric?: boolean; hint?: string }
> = {
  link: { label: 'Link' },
  quantity: { label: 'Quantity', numeric: true },
  comments: { label: 'Comments (one per line)', multiline: true },
  usernames: { label: 'Usernames (one per line)', multiline: true },
  hashtags: { label: 'Hashtags (one per line)', multiline: true },
  hashtag: { label: 'Hashtag' },
  username: { label: 'Username' },
  media: { label: 'Media URL' },
  answer_number: { label: 'Answer number', numeric: true },
  groups: { label: 'Groups (one per line)', multiline: true },
  keywords: { label: 'Keywords (one per line)', multiline: true },
  min: { label: 'Minimum quantity per post', numeric: true },
  max: { label: 'Maximum quantity per post', numeric: true },
  posts: { label: 'New posts', numeric: true, hint: 'Optional: leave empty for no limit.' },
  old_posts: { label: 'Old posts', numeric: true, hint: 'Optional: existing posts to process too.' },
  delay: { label: 'Delay (minutes)' },
  expiry: { label: 'Expiry date (d/m/Y)', hint: 'Optional, e.g. 31/12/2027.' },
};
