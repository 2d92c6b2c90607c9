import { describe, expect, it } from 'vitest';
import { isTicketSubject, readTicketState, ticketOrderAction, ticketStateAfter } from './tickets.js';

describe('ticket states', () => {
  it.each([
    ['open', 'customerMessage', 'open'],
    ['answered', 'customerMessage', 'customer-replied'],
    ['customer-replied', 'customerMessage', 'customer-replied'],
    ['closed', 'customerMessage', 'customer-replied'],
    ['open', 'staffMessage', 'answered'],
    ['customer-replied', 'staffMessage', 'answered'],
    ['closed', 'staffMessage', 'answered'],
    ['open', 'close', 'closed'],
    ['answered', 'close', 'closed'],
    ['customer-replied', 'close', 'closed'],
    ['closed', 'close', null],
  ] as const)('%s + %s → %s', (from, move, to) => {
    expect(ticketStateAfter(from, move)).toBe(to);
  });

  it('offers refill on Refill tickets, cancel on Cancel tickets, nothing on the others', () => {
    expect(ticketOrderAction('Refill')).toBe('refill');
    expect(ticketOrderAction('Cancel')).toBe('cancel');
    for (const subject of ['Order', 'Speed-up', 'Payment', 'API', 'Other'] as const) {
      expect(ticketOrderAction(subject)).toBeNull();
    }
  });

  it('takes the subjects exactly as written', () => {
    expect(isTicketSubject('Speed-up')).toBe(true);
    expect(isTicketSubject('speed-up')).toBe(false);
    expect(isTicketSubject('Refund')).toBe(false);
    expect(() => readTicketState('pending')).toThrow(/corrupt row/);
  });
});
