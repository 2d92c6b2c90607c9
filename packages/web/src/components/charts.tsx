/** Inline SVG charts: bars per day and horizontal bars per label. Scaled to their container. */

export function DayBars(props: {
  title: string;
  days: { date: string; values: number[] }[];
  series: string[];
  format?: (value: number) => string;
}) {
  const width = 560;
  const height = 180;
  const pad = { top: 12, bottom: 28, left: 8, right: 8 };
  const values = props.days.flatMap((d) => d.values);
  const max = Math.max(1e-9, ...values.map((v) => Math.abs(v)));
  const slot = (width - pad.left - pad.right) / Math.max(1, props.days.length);
  const barWidth = Math.max(2, (slot - 4) / props.series.length);
  const chartHeight = height - pad.top - pad.bottom;
  const format = props.format ?? String;
  const summary = props.days
    .map((d) => `${d.date}: ${d.values.map((v, i) => `${props.series[i]} ${format(v)}`).join(', ')}`)
    .join('; ');
  return (
    <figure className="chart">
      <figcaption>
        {props.title}
        {props.series.length > 1 && (
          <span className="legend">
            {props.series.map((s, i) => (
              <span key={s} className={`legend-item series-${i}`}>
                {s}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${props.title}. ${summary}`}
        preserveAspectRatio="none"
      >
        <line
          x1={pad.left}
          x2={width - pad.right}
          y1={pad.top + chartHeight}
          y2={pad.top + chartHeight}
          className="axis"
        />
        {props.days.map((day, index) => (
          <g key={day.date}>
            {day.values.map((value, s) => {
              const h = (Math.abs(value) / max) * chartHeight;
              return (
                <rect
                  key={s}
                  className={`series-${s}${value < 0 ? ' negative-bar' : ''}`}
                  x={pad.left + index * slot + 2 + s * barWidth}
                  y={pad.top + chartHeight - h}
                  width={barWidth - 1}
                  height={Math.max(h, value === 0 ? 0 : 1)}
                >
                  <title>{`${day.date} ${props.series[s]}: ${format(value)}`}</title>
                </rect>
              );
            })}
            {(index % 2 === 0 || props.days.length <= 7) && (
              <text
                x={pad.left + index * slot + slot / 2}
                y={height - 8}
                textAnchor="middle"
                className="tick"
              >
                {day.date.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function LabelBars(props: { title: string; items: { label: string; value: number }[] }) {
  const max = Math.max(1, ...props.items.map((i) => i.value));
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      {props.items.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ul className="hbars">
          {props.items.map((item) => (
            <li key={item.label}>
              <span className="hbar-label">{item.label}</span>
              <span className="hbar-track">
                <span className="hbar" style={{ width: `${(item.value / max) * 100}%` }} />
              </span>
              <span className="hbar-value">{item.value}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
