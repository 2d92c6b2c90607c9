/** The status labels the server shows and the lists filter by, in the order the filters offer them. */
export const ORDER_STATUSES = ['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled'];
export const SUBSCRIPTION_STATUSES = ['Active', 'Paused', 'Completed', 'Expired', 'Canceled'];
export const REFILL_STATUSES = ['Pending', 'In progress', 'Completed', 'Rejected'];
