import type { DepartmentSummary, RecordBody, UserSummary } from '@joinery/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/api.ts';
import { listDepartments, toQueryString } from '../api/records-api.ts';
import type { RuntimeField } from './field-model.ts';
import type { NameOf } from './format-value.ts';

let users: Promise<ReadonlyMap<string, string>> | undefined;
let departments: Promise<ReadonlyMap<string, string>> | undefined;

/** Display names of users, fetched once per page load (the first 500, by username). */
function userNames(): Promise<ReadonlyMap<string, string>> {
  users ??= api
    .get<{ items: UserSummary[] }>(`/api/users${toQueryString({ limit: 500 })}`)
    .then((body) => new Map(body.items.map((user) => [user.id, user.displayName])));
  users.catch(() => {
    users = undefined;
  });
  return users;
}

function departmentNames(): Promise<ReadonlyMap<string, string>> {
  departments ??= listDepartments(api).then(
    (items: DepartmentSummary[]) => new Map(items.map((d) => [d.id, d.name])),
  );
  departments.catch(() => {
    departments = undefined;
  });
  return departments;
}

/** Remembers a user's name learnt elsewhere (a picker's search), so lists can show it. */
export function rememberUser(user: UserSummary): void {
  users = (users ?? Promise.resolve(new Map<string, string>())).then((known) =>
    new Map(known).set(user.id, user.displayName),
  );
}

/**
 * Names for the ids that user and department fields hold, for lists and record pages: fetched
 * only when the form has such fields. Ids without a known name show shortened.
 */
export function useDirectory(
  fields: readonly RuntimeField[],
  _records?: readonly RecordBody[],
): NameOf {
  const needsUsers = fields.some((field) => field.type === 'user');
  const needsDepartments = fields.some((field) => field.type === 'department');
  const [names, setNames] = useState<{
    users: ReadonlyMap<string, string>;
    departments: ReadonlyMap<string, string>;
  }>({ users: new Map(), departments: new Map() });
  useEffect(() => {
    let live = true;
    const empty: ReadonlyMap<string, string> = new Map();
    Promise.all([
      needsUsers ? userNames().catch(() => empty) : empty,
      needsDepartments ? departmentNames().catch(() => empty) : empty,
    ]).then(([u, d]) => live && setNames({ users: u, departments: d }));
    return () => {
      live = false;
    };
  }, [needsUsers, needsDepartments]);
  return useCallback(
    (field: RuntimeField, id: string) =>
      field.type === 'user'
        ? names.users.get(id)
        : field.type === 'department'
          ? names.departments.get(id)
          : undefined,
    [names],
  );
}
