/** Route config of every admin endpoint: refused (403) to customers, (401) to visitors, by the access hook. */
export const ADMIN = { access: 'admin' } as const;
