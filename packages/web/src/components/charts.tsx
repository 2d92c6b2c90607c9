/** Charts in HTML and CSS: bars per day and horizontal bars per label, readable at phone width. */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.js';

export function DayBars(props: {
  title: string;
  /** Per day: each series' bar height (any scale) and the text it shows ("3", "12.50 USD"). */
  days: { date: string; values: number[]; labels: string[] }[];
  series: string[];
}) {
  const max = Math.max(1e-9, ...props.days.flatMap((d) => d.values.map((v) => Math.abs(v))));
  return (
    <figure className="chart">
      <figcaption>
        {props.title}
        {props.series.length > 1 && (
          <span className="legend" aria-hidden="true">
            {props.series.map((s, i) => (
              <span key={s} className={`legend-item series-${i}`}>
                {s}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      {/* HTML, not a scaled SVG: the day labels keep their size (12 px) at any width. Each bar is
          reached by Tab and names its value, shown on hover and focus. */}
      <ol className="daybars">
        {props.days.map((day) => (
          <li key={day.date} className="day">
            <span className="day-bars">
              {day.values.map((value, s) => {
                const text = `${day.date}, ${props.series[s]}: ${day.labels[s]}`;
                return (
                  <span
                    key={s}
                    role="img"
                    tabIndex={0}
                    aria-label={text}
                    title={text}
                    className={`bar series-${s}${value < 0 ? ' negative-bar' : ''}`}
                    style={{ height: `${Math.max((Math.abs(value) / max) * 100, value === 0 ? 0 : 2)}%` }}
                  >
                    <span className="bar-tip" aria-hidden="true">
                      {day.labels[s]}
                    </span>
                  </span>
                );
              })}
            </span>
            <span className="tick" aria-hidden="true">
              {day.date.slice(5)}
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}

export function LabelBars(props: { title: string; items: { label: string; value: number }[] }) {
  const { t } = useTranslation('ui');
  const format = useFormat();
  const max = Math.max(1, ...props.items.map((i) => i.value));
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      {props.items.length === 0 ? (
        <p className="muted">{t('charts.empty')}</p>
      ) : (
        <ul className="hbars">
          {props.items.map((item) => (
            <li key={item.label}>
              <span className="hbar-label">{item.label}</span>
              <span className="hbar-track">
                <span className="hbar" style={{ width: `${(item.value / max) * 100}%` }} />
              </span>
              <span className="hbar-value">{format.number(item.value)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
