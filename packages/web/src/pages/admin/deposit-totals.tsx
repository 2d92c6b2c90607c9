import { Card, Loading } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { useMoney } from '../../session.js';

/** The dashboard's payments part: paid deposits per method per day over the last 14 days. */
export function DepositTotalsCard() {
  const money = useMoney();
  const { data, error } = useResource('/admin/deposits/daily');
  return (
    <Card title="Paid deposits per method, last 14 days">
      {data === null ? (
        <Loading error={error} />
      ) : data.totals.length === 0 ? (
        <p className="muted">No paid deposits in the last {data.days} days.</p>
      ) : (
        <table className="table" aria-label="Paid deposits per method per day">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Method</th>
              <th scope="col">Deposits</th>
              <th scope="col">Sum</th>
            </tr>
          </thead>
          <tbody>
            {data.totals.map((total) => (
              <tr key={`${total.date}-${total.method}`}>
                <td data-label="Day">{total.date}</td>
                <td data-label="Method">{total.methodName}</td>
                <td data-label="Deposits">{total.count}</td>
                <td data-label="Sum">{money(total.sum)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
