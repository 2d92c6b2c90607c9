import { useTranslation } from 'react-i18next';
import { displayAmount } from './money.js';

/**
 * Numbers, money and dates as the reader's language writes them, through Intl. Money arrives as the
 * server's exact decimal string ("1234.50000") and is formatted from the string itself (Intl formats
 * a decimal string exactly, never through a float), trimmed like displayAmount: two decimals unless
 * more are significant.
 */
export interface Formatter {
  readonly language: string;
  /** "1,234.5" / "1 234,5": a count or a decimal string. */
  number(value: number | string): string;
  /** "1,234.50" / "1 234,50": an exact decimal amount without its currency. */
  amount(value: string): string;
  /** "1,234.50 USD": an amount with its currency; a missing amount is a dash. */
  money(amount: string | null | undefined, currency: string | null | undefined): string;
  /** A date and time (minutes), in the reader's time zone; null is a dash. */
  dateTime(value: string | number | null | undefined): string;
  /** A date alone. */
  date(value: string | number | null | undefined): string;
}

const cache = new Map<string, Formatter>();

export function formatterFor(language: string): Formatter {
  const known = cache.get(language);
  if (known !== undefined) return known;
  const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 5 });
  const amounts = new Map<number, Intl.NumberFormat>();
  const amountFormat = (fractionDigits: number) => {
    let format = amounts.get(fractionDigits);
    if (format === undefined) {
      format = new Intl.NumberFormat(language, {
        minimumFractionDigits: fractionDigits,
        maximumFractionDigits: fractionDigits,
      });
      amounts.set(fractionDigits, format);
    }
    return format;
  };
  const dateTimes = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
  const asDate = (value: string | number) => new Date(value);
  const formatter: Formatter = {
    language,
    number: (value) => numbers.format(value as Intl.StringNumericLiteral),
    amount(value) {
      const trimmed = displayAmount(value);
      if (!/^-?\d+\.\d+$/.test(trimmed)) return value;
      const digits = trimmed.length - trimmed.indexOf('.') - 1;
      return amountFormat(digits).format(trimmed as Intl.StringNumericLiteral);
    },
    money(amount, currency) {
      if (amount === null || amount === undefined) return '—';
      const shown = formatter.amount(amount);
      return currency ? `${shown} ${currency}` : shown;
    },
    dateTime: (value) => (value === null || value === undefined ? '—' : dateTimes.format(asDate(value))),
    date: (value) => (value === null || value === undefined ? '—' : dates.format(asDate(value))),
  };
  cache.set(language, formatter);
  return formatter;
}

/** The formatter of the language the page is shown in (re-renders when it changes). */
export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  return formatterFor(i18n.language);
}
