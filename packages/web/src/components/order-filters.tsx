import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORDER_STATUSES, SUBSCRIPTION_STATUSES, useStatusLabel } from '../status-labels.js';
import { Field, Select } from './ui.js';

/** The statuses to filter by: the option's value stays the server's English word. */
const STATUSES = [...new Set([...ORDER_STATUSES, ...SUBSCRIPTION_STATUSES])];

export function OrderFilters(props: {
  status: string;
  search: string;
  onApply: (status: string, search: string) => void;
}) {
  const { t } = useTranslation('orders');
  const statusLabel = useStatusLabel();
  const options = [
    { value: '', label: t('filters.allStatuses') },
    ...STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
  ];
  const [search, setSearch] = useState(props.search);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(props.status, search);
  };
  return (
    <form className="filters" role="search" onSubmit={submit}>
      <Select
        label={t('table.status')}
        value={props.status}
        onChange={(value) => props.onApply(value, search)}
        options={options}
      />
      <Field label={t('search.label')} value={search} onChange={setSearch} />
      <button type="submit">{t('search.submit')}</button>
    </form>
  );
}
