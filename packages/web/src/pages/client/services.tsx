import type { Catalog } from '@smmkit/contract';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, Field, Loading, Page, Select } from '../../components/ui.js';
import { displayAverageTime } from '../../durations.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { useFormat } from '../../format.js';
import { useMoney } from '../../session.js';

export function ServicesPage() {
  const { t } = useTranslation('ordering');
  const money = useMoney();
  const format = useFormat();
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
    <Page title={t('services.title')}>
      <div className="filters">
        <Field
          label={t('services.search')}
          value={search}
          onChange={setSearch}
          placeholder={t('services.searchPlaceholder')}
        />
        <Select
          label={t('category')}
          value={category}
          onChange={setCategory}
          options={[
            { value: '', label: t('services.allCategories') },
            ...categories.map((c) => ({ value: c, label: c })),
          ]}
        />
      </div>
      {data === null ? (
        <Loading error={error} />
      ) : groups.length === 0 ? (
        <p className="muted">{t('services.noMatch')}</p>
      ) : (
        groups.map(([category, services]) => (
          <Card key={category} title={category}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('services.id')}</th>
                  <th scope="col">{t('services.service')}</th>
                  <th scope="col">{t('facts.price')}</th>
                  <th scope="col">{t('facts.minMax')}</th>
                  <th scope="col">{t('facts.averageTime')}</th>
                  <th scope="col">{t('services.options')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('services.order')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {services.map((service) => (
                  <tr key={service.id}>
                    <td data-label={t('services.id')}>{service.id}</td>
                    <td data-label={t('services.service')}>
                      {service.name}
                      <span className="muted small block">{service.type}</span>
                    </td>
                    <td data-label={t('facts.price')}>{money(service.rate)}</td>
                    <td data-label={t('facts.minMax')}>
                      {format.number(service.min)} / {format.number(service.max)}
                    </td>
                    <td data-label={t('facts.averageTime')}>
                      {displayAverageTime(service.averageTimeSeconds, format.language)}
                    </td>
                    <td data-label={t('services.options')}>
                      {[
                        service.refill && t('facts.refill'),
                        service.cancel && t('facts.cancel'),
                        service.dripfeed && t('dripfeed'),
                      ]
                        .filter(Boolean)
                        .join(t('services.optionSeparator')) || '—'}
                    </td>
                    <td data-label={t('services.order')}>
                      <Link
                        href={`/new-order?service=${service.id}`}
                        className="button primary"
                        aria-label={t('services.orderNamed', { name: service.name })}
                      >
                        {t('services.order')}
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
        <Link href="/new-order">{t('services.placeOrder')}</Link>
      </p>
    </Page>
  );
}
