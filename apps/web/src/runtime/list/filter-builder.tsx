import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, InputNumber, Segmented, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale.ts';
import { localized, type RuntimeField } from '../field-model.ts';
import {
  type FilterCondition,
  type FilterOperator,
  type FilterState,
  operatorsFor,
  takesValue,
} from './filter-logic.ts';

interface FilterBuilderProps {
  readonly fields: readonly RuntimeField[];
  readonly value: FilterState;
  readonly onApply: (next: FilterState) => void;
}

/**
 * The filter builder for people who do not write JSON-logic: rows of field, condition (only
 * those that make sense for the field's type) and value (an input fitting the type), joined by
 * "all" or "any". Applying turns it into JSON-logic for the server (`filter-logic.ts`).
 */
export function FilterBuilder({ fields, value, onApply }: FilterBuilderProps) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const [draft, setDraft] = useState<FilterState>(value);
  const filterable = fields.filter((field) => field.filterKind !== null);

  const update = (index: number, next: FilterCondition) =>
    setDraft((d) => ({
      ...d,
      conditions: d.conditions.map((condition, i) => (i === index ? next : condition)),
    }));
  const add = () => {
    const first = filterable[0];
    if (!first?.filterKind) return;
    const operator = operatorsFor(first.filterKind)[0] ?? 'eq';
    setDraft((d) => ({ ...d, conditions: [...d.conditions, { field: first.key, operator }] }));
  };

  return (
    <fieldset className="jny-filter" aria-label={t('filter.title')}>
      <Segmented<FilterState['match']>
        size="small"
        value={draft.match}
        onChange={(match) => setDraft((d) => ({ ...d, match }))}
        options={[
          { value: 'all', label: t('filter.matchAll') },
          { value: 'any', label: t('filter.matchAny') },
        ]}
      />
      <ol className="jny-filter__rows">
        {draft.conditions.map((condition, index) => {
          const field = filterable.find((f) => f.key === condition.field);
          const kind = field?.filterKind ?? 'text';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <li key={index} className="jny-filter__row">
              <Select
                aria-label={t('filter.field')}
                className="jny-filter__field"
                showSearch={{ optionFilterProp: 'label' }}
                value={condition.field}
                onChange={(key: string) => {
                  const next = filterable.find((f) => f.key === key);
                  const operator = next?.filterKind ? operatorsFor(next.filterKind)[0] : 'eq';
                  update(index, { field: key, operator: operator ?? 'eq' });
                }}
                options={filterable.map((f) => ({
                  value: f.key,
                  label: localized(f.label, locale),
                }))}
              />
              <Select<FilterOperator>
                aria-label={t('filter.operator')}
                className="jny-filter__operator"
                value={condition.operator}
                onChange={(operator) => update(index, { field: condition.field, operator })}
                options={operatorsFor(kind).map((operator) => ({
                  value: operator,
                  label: t(`filter.${operator}`),
                }))}
              />
              {takesValue(condition.operator) && field ? (
                <ValueInput
                  field={field}
                  operator={condition.operator}
                  value={condition.value}
                  onChange={(next) => update(index, { ...condition, value: next })}
                />
              ) : (
                <span className="jny-filter__value" />
              )}
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('filter.remove')}
                onClick={() =>
                  setDraft((d) => ({
                    ...d,
                    conditions: d.conditions.filter((_, i) => i !== index),
                  }))
                }
              />
            </li>
          );
        })}
      </ol>
      <Space className="jny-filter__actions">
        <Button icon={<PlusOutlined />} onClick={add} disabled={filterable.length === 0}>
          {t('filter.add')}
        </Button>
        <Button
          onClick={() => {
            const cleared: FilterState = { match: draft.match, conditions: [] };
            setDraft(cleared);
            onApply(cleared);
          }}
        >
          {t('filter.clear')}
        </Button>
        <Button type="primary" onClick={() => onApply(draft)}>
          {t('filter.apply')}
        </Button>
      </Space>
      {filterable.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
    </fieldset>
  );
}

function ValueInput(props: {
  readonly field: RuntimeField;
  readonly operator: FilterOperator;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { field, value, onChange } = props;
  const common = { 'aria-label': t('filter.value'), className: 'jny-filter__value' };
  switch (field.filterKind) {
    case 'choice':
    case 'choices':
      return (
        <Select
          {...common}
          {...(props.operator === 'anyOf' ? { mode: 'multiple' as const } : {})}
          value={value as string | string[] | undefined}
          onChange={onChange}
          options={field.options.map((o) => ({
            value: o.value,
            label: localized(o.label, locale),
          }))}
        />
      );
    case 'number':
      return (
        <InputNumber
          {...common}
          value={typeof value === 'number' ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
        />
      );
    case 'decimal':
      return (
        <InputNumber<string>
          {...common}
          stringMode
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
        />
      );
    case 'date':
    case 'datetime':
      return (
        <DatePicker
          {...common}
          showTime={field.filterKind === 'datetime'}
          value={typeof value === 'string' ? dayjs(value) : null}
          onChange={(next) =>
            onChange(
              next
                ? field.filterKind === 'date'
                  ? next.format('YYYY-MM-DD')
                  : next.toISOString()
                : undefined,
            )
          }
        />
      );
    default:
      return (
        <Input
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value)}
        />
      );
  }
}
