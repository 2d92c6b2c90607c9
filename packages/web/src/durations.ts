/** The units of an average time, largest first, with their size in seconds and Intl's unit name. */
const UNITS = [
  [86_400, 'd', 'day'],
  [3_600, 'h', 'hour'],
  [60, 'min', 'minute'],
  [1, 's', 'second'],
] as const;

const unitFormats = new Map<string, Intl.NumberFormat>();

/** "2 h" in `language`, Intl's short unit ("2 ч", "2 sa.", "2 س"); English keeps "d h min s". */
function unitText(language: string, count: number, english: string, unit: string): string {
  if (language === 'en') return `${count} ${english}`;
  const key = `${language}/${unit}`;
  let format = unitFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' });
    unitFormats.set(key, format);
  }
  return format.format(count);
}

/**
 * A service's average time (whole seconds per 1000 units, from the server) as people read it:
 * the two largest units, rounded down ("1 h 9 min", "2 d 3 h", "45 s"); "—" when unknown. In a
 * language other than English the units are Intl's short ones ("1 ч 9 мин").
 */
export function displayAverageTime(seconds: number | null, language = 'en'): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [size, english, unit] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (parts.length > 0 && parts.length < 2)) {
      if (count > 0) parts.push(unitText(language, count, english, unit));
      else parts.push('');
    }
    if (parts.length === 2) break;
  }
  const shown = parts.filter((part) => part !== '');
  return shown.length === 0 ? unitText(language, 0, 's', 'second') : shown.join(' ');
}
