import type { Catalog } from '@smmkit/contract';
import { useMemo, useState } from 'react';
import { Card, Field, Loading, Page, Select } from '../../components/ui.js';
import { displayAverageTime } from '../../durations.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useMoney } from '../../session.js';

export function ServicesPage() {
  const money = useMoney();
  const { data, error } = useResource('/catalog');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const categories = useMemo(() => [...new Set((data?.services ?? []).map((s) => s.category))], [data]);
  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const byCategory = new Map<string, Catalog['services']>();
    for (const service of data?.services ?? []) {
      if (category !== '' && service.category !== category) continue;
      if (
        needle !== '' &&
        !`${service.id} ${service.name} ${service.category} ${service.type}`.toLowerCase().includes(needle)
      )
        continue;
      byCategory.set(service.category, [...(byCategory.get(service.category) ?? []), service]);
    }
    return [...byCategory];
  }, [data, search, category]);

  return (
    <Page title="Services">
      <div className="filters">
        <Field
          label="Search the price list"
          value={search}
          onChange={setSearch}
          placeholder="Name, category, type or id"
        />
        <Select
          label="Category"
          value={category}
          onChange={setCategory}
          options={[
            { value: '', label: 'All categories' },
            ...categories.map((c) => ({ value: c, label: c })),
          ]}
        />
      </div>
      {data === null ? (
        <Loading error={error} />
      ) : groups.length === 0 ? (
        <p className="muted">No service matches.</p>
      ) : (
        groups.map(([category, services]) => (
          <Card key={category} title={category}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">ID</th>
                  <th scope="col">Service</th>
                  <th scope="col">Price per 1000</th>
                  <th scope="col">Min / max</th>
                  <th scope="col">Average time</th>
                  <th scope="col">Options</th>
                  <th scope="col">
                    <span className="sr-only">Order</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {services.map((service) => (
                  <tr key={service.id}>
                    <td data-label="ID">{service.id}</td>
                    <td data-label="Service">
                      {service.name}
                      <span className="muted small block">{service.type}</span>
                    </td>
                    <td data-label="Price per 1000">{money(service.rate)}</td>
                    <td data-label="Min / max">
                      {service.min} / {service.max}
                    </td>
                    <td data-label="Average time">{displayAverageTime(service.averageTimeSeconds)}</td>
                    <td data-label="Options">
                      {[
                        service.refill && 'Refill',
                        service.cancel && 'Cancel',
                        service.dripfeed && 'Drip-feed',
                      ]
                        .filter(Boolean)
                        .join(', ') || '—'}
                    </td>
                    <td data-label="Order">
                      <Link
                        href={`/new-order?service=${service.id}`}
                        className="button primary"
                        aria-label={`Order ${service.name}`}
                      >
                        Order
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ))
      )}
      <p>
        <Link href="/new-order">Place an order</Link>
      </p>
    </Page>
  );
}
