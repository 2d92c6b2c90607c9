import { Card, Loading, Page, StatusBadge, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';

export function RefillsPage() {
  const { data, error } = useResource('/refills');
  return (
    <Page title="Refills">
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : data.refills.length === 0 ? (
          <p className="muted">No refills yet. Ask for one from a completed order on the Orders page.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Refill</th>
                <th scope="col">Order</th>
                <th scope="col">Service</th>
                <th scope="col">Status</th>
                <th scope="col">Requested</th>
              </tr>
            </thead>
            <tbody>
              {data.refills.map((refill) => (
                <tr key={refill.id}>
                  <td data-label="Refill">#{refill.id}</td>
                  <td data-label="Order">
                    #{refill.orderId} <span className="muted small">{refill.link}</span>
                  </td>
                  <td data-label="Service">{refill.serviceName}</td>
                  <td data-label="Status">
                    <StatusBadge status={refill.status} />
                  </td>
                  <td data-label="Requested">{date(refill.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </Page>
  );
}
