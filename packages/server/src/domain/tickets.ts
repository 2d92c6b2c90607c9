import { readStoredValue } from './stored-value.js';

/** The subjects a customer picks from, sent and answered exactly as written here. */
export const TICKET_SUBJECTS = ['Order', 'Refill', 'Cancel', 'Speed-up', 'Payment', 'API', 'Other'] as const;
export type TicketSubject = (typeof TICKET_SUBJECTS)[number];

/**
 * open: new, not answered yet; answered: staff wrote last; customer-replied: the customer wrote
 * after an answer; closed: done (a customer's message reopens it, a staff answer too).
 */
export const TICKET_STATES = ['open', 'answered', 'customer-replied', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export type TicketMove = 'customerMessage' | 'staffMessage' | 'close';

/** The state each move leads to from each state; null: the move is not allowed from there. */
const TRANSITIONS: Readonly<Record<TicketMove, Readonly<Record<TicketState, TicketState | null>>>> = {
  customerMessage: {
    open: 'open',
    answered: 'customer-replied',
    'customer-replied': 'customer-replied',
    closed: 'customer-replied',
  },
  staffMessage: {
    open: 'answered',
    answered: 'answered',
    'customer-replied': 'answered',
    closed: 'answered',
  },
  close: { open: 'closed', answered: 'closed', 'customer-replied': 'closed', closed: null },
};

export function ticketStateAfter(state: TicketState, move: TicketMove): TicketState | null {
  return TRANSITIONS[move][state];
}

/** The one-click action a ticket's subject offers on its orders, if any. */
export function ticketOrderAction(subject: TicketSubject): 'refill' | 'cancel' | null {
  return subject === 'Refill' ? 'refill' : subject === 'Cancel' ? 'cancel' : null;
}

export function isTicketSubject(text: string): text is TicketSubject {
  return (TICKET_SUBJECTS as readonly string[]).includes(text);
}

export function isTicketState(text: string): text is TicketState {
  return (TICKET_STATES as readonly string[]).includes(text);
}

export function readTicketSubject(stored: string): TicketSubject {
  return readStoredValue(TICKET_SUBJECTS, stored, 'ticket subject');
}

export function readTicketState(stored: string): TicketState {
  return readStoredValue(TICKET_STATES, stored, 'ticket state');
}

/** A ticket message: plain text, 1 to 5000 characters once trimmed. */
export const TICKET_MESSAGE_MAX = 5000;
