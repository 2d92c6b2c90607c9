import { type FormEvent, useState } from 'react';
import { ORDER_STATUSES, SUBSCRIPTION_STATUSES } from '../status-labels.js';
import { Field, Select } from './ui.js';

const STATUS_OPTIONS = [
  { value: '', label: 'All statuses' },
  ...[...new Set([...ORDER_STATUSES, ...SUBSCRIPTION_STATUSES])].map((s) => ({ value: s, label: s })),
];

export function OrderFilters(props: {
  status: string;
  search: string;
  onApply: (status: string, search: string) => void;
}) {
  const [search, setSearch] = useState(props.search);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(props.status, search);
  };
  return (
    <form className="filters" role="search" onSubmit={submit}>
      <Select
        label="Status"
        value={props.status}
        onChange={(value) => props.onApply(value, search)}
        options={STATUS_OPTIONS}
      />
      <Field label="Search by order id or link" value={search} onChange={setSearch} />
      <button type="submit">Search</button>
    </form>
  );
}
