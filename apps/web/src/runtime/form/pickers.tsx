import type { DepartmentSummary, RecordBody, UserSummary } from '@joinery/shared';
import { Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api.ts';
import { getRecord, listDepartments, listRecords, searchUsers } from '../../api/records-api.ts';
import { useLocale } from '../../i18n/use-locale.ts';
import { type RuntimeField, runtimeFields } from '../field-model.ts';
import { formatValue } from '../format-value.ts';
import { loadPublishedForm } from '../published-forms.ts';
import { rememberUser } from '../use-directory.ts';

interface PickerProps<V> {
  readonly id?: string;
  readonly value?: V;
  readonly onChange?: (value: V | undefined) => void;
  readonly disabled?: boolean;
}

/** Waits `ms` after the last change before searching. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Picks a user by name or username (`GET /api/users?search=`), searched as the user types. */
export function UserPicker({ id, value, onChange, disabled }: PickerProps<string>) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const term = useDebounced(search, 250);
  const [users, setUsers] = useState<readonly UserSummary[]>([]);
  const [chosen, setChosen] = useState<UserSummary>();
  useEffect(() => {
    const controller = new AbortController();
    searchUsers(api, term, { signal: controller.signal }).then(setUsers, () => undefined);
    return () => controller.abort();
  }, [term]);
  // The stored user may not be among the first results: fetch it to show its name.
  useEffect(() => {
    if (!value || users.some((u) => u.id === value) || chosen?.id === value) return;
    api
      .get<UserSummary>(`/api/users/${encodeURIComponent(value)}`)
      .then(setChosen, () => undefined);
  }, [value, users, chosen]);
  const options = [...users, ...(chosen && !users.some((u) => u.id === chosen.id) ? [chosen] : [])];
  return (
    <Select
      {...(id ? { id } : {})}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      disabled={disabled === true}
      placeholder={t('form.searchUsers')}
      value={value}
      onChange={(next: string | undefined) => {
        const user = options.find((u) => u.id === next);
        if (user) {
          setChosen(user);
          rememberUser(user);
        }
        onChange?.(next);
      }}
      options={options.map((user) => ({
        value: user.id,
        label: `${user.displayName} (${user.username})`,
      }))}
    />
  );
}

interface TreeNode {
  readonly value: string;
  readonly title: string;
  readonly children: TreeNode[];
}

function departmentTree(items: readonly DepartmentSummary[]): TreeNode[] {
  const nodes = new Map(
    items.map((d) => [d.id, { value: d.id, title: d.name, children: [] as TreeNode[] }]),
  );
  const roots: TreeNode[] = [];
  for (const department of items) {
    const node = nodes.get(department.id);
    if (!node) continue;
    const parent = department.parentId ? nodes.get(department.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Picks a department from the organisation tree (`GET /api/departments`). */
export function DepartmentPicker({ id, value, onChange, disabled }: PickerProps<string>) {
  const { t } = useTranslation();
  const [items, setItems] = useState<readonly DepartmentSummary[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listDepartments(api, { signal: controller.signal }).then(setItems, () => undefined);
    return () => controller.abort();
  }, []);
  const tree = useMemo(() => departmentTree(items), [items]);
  return (
    <TreeSelect
      {...(id ? { id } : {})}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      treeDefaultExpandAll
      disabled={disabled === true}
      placeholder={t('form.selectPlaceholder')}
      value={value}
      onChange={(next: string | undefined) => onChange?.(next)}
      treeData={tree}
    />
  );
}

/** The label of a related record: its first text-like fields, or its id. */
export function recordTitle(
  record: Pick<RecordBody, 'id' | 'values'>,
  fields: readonly RuntimeField[],
  locale: 'zh-CN' | 'en',
): string {
  const shown = fields
    .filter((f) => ['text', 'serial', 'mobile', 'email', 'select'].includes(f.type))
    .slice(0, 2)
    .map((f) => formatValue(f, record.values[f.key], locale))
    .filter(Boolean);
  return shown.length > 0 ? shown.join(' · ') : record.id.slice(0, 8);
}

/**
 * Picks records of the related form (`config.form`), searched with the list API's text search;
 * one id, or a list when the relation is `multiple`.
 */
export function RelationPicker(
  props: PickerProps<string | string[]> & { readonly app: string; readonly field: RuntimeField },
) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const target = String(props.field.definition.config?.form ?? '');
  const multiple = props.field.definition.config?.multiple === true;
  const [search, setSearch] = useState('');
  const term = useDebounced(search, 250);
  const [found, setFound] = useState<readonly { value: string; label: string }[]>([]);
  const known = useRef(new Map<string, string>());
  const [, setKnownVersion] = useState(0);
  const [targetFields, setTargetFields] = useState<readonly RuntimeField[]>();

  useEffect(() => {
    loadPublishedForm(props.app, target).then(
      (form) => setTargetFields(runtimeFields(form.definition)),
      () => setTargetFields([]),
    );
  }, [props.app, target]);

  useEffect(() => {
    if (!targetFields) return;
    const controller = new AbortController();
    listRecords(api, props.app, target, { q: term, limit: 20 }, { signal: controller.signal }).then(
      (page) => {
        const options = page.items.map((record) => ({
          value: record.id,
          label: recordTitle(record, targetFields, locale),
        }));
        for (const option of options) known.current.set(option.value, option.label);
        setFound(options);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [props.app, target, term, targetFields, locale]);

  // Names for the chosen ids that the search did not bring.
  const ids =
    props.value === undefined ? [] : Array.isArray(props.value) ? props.value : [props.value];
  const missing = ids.filter((id) => !known.current.has(id)).join(',');
  useEffect(() => {
    if (!targetFields || missing === '') return;
    for (const id of missing.split(',')) {
      getRecord(api, props.app, target, id).then(
        (record) => {
          known.current.set(id, recordTitle(record, targetFields, locale));
          setKnownVersion((v) => v + 1);
        },
        () => undefined,
      );
    }
  }, [missing, props.app, target, targetFields, locale]);

  const options = [
    ...found,
    ...ids
      .filter((id) => !found.some((o) => o.value === id))
      .map((id) => ({ value: id, label: known.current.get(id) ?? id.slice(0, 8) })),
  ];
  return (
    <Select
      {...(props.id ? { id: props.id } : {})}
      {...(multiple ? { mode: 'multiple' as const } : {})}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      disabled={props.disabled === true}
      placeholder={t('form.searchRecords')}
      value={props.value}
      onChange={(next: string | string[] | undefined) => props.onChange?.(next)}
      options={options}
    />
  );
}
