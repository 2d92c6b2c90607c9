import { useState } from 'react';
import { query } from '../../api.js';
import { Card, Loading, Page, date } from '../../components/ui.js';
import { useResource } from '../../hooks.js';

export function AdminAuditPage() {
  const [page, setPage] = useState(1);
  const { data, error } = useResource(`/admin/audit${query({ page })}`);
  return (
    <Page title="Audit log">
      <Card>
        {data === null ? (
          <Loading error={error} />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">{date(entry.at)}</td>
                  <td data-label="Who">{entry.actor}</td>
                  <td data-label="What">
                    {entry.action} <span className="muted">{entry.target}</span>
                  </td>
                  <td data-label="Details">
                    <code className="details">{JSON.stringify(entry.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span>Page {page}</span>
          <button
            type="button"
            disabled={(data?.entries.length ?? 0) < 100}
            onClick={() => setPage(page + 1)}
          >
            Older
          </button>
        </nav>
      </Card>
    </Page>
  );
}
