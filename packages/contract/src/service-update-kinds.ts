/**
 * The kinds of catalogue change a customer is told about (Updates page): pure data, shared by the web
 * contract and the server's domain.
 */
export const SERVICE_UPDATE_KINDS = [
  'new',
  'price_up',
  'price_down',
  'min_changed',
  'max_changed',
  'disabled',
  'enabled',
] as const;
