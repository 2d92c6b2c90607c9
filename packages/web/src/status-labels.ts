import { useTranslation } from 'react-i18next';

/** The status labels the server shows and the lists filter by, in the order the filters offer them. */
export const ORDER_STATUSES = ['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled'];
export const SUBSCRIPTION_STATUSES = ['Active', 'Paused', 'Completed', 'Expired', 'Canceled'];
export const REFILL_STATUSES = ['Pending', 'In progress', 'Completed', 'Rejected'];

/**
 * A status as the reader's language says it. The server (and API v2) name statuses in English, the
 * contract's words; the `status` catalogue is keyed by them, so a filter still sends the English word.
 * A status the catalogue lacks is shown as the server said it.
 */
export function useStatusLabel(): (status: string) => string {
  const { t } = useTranslation('status');
  return (status) => t(status, { defaultValue: status });
}
