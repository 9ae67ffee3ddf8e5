import { AppstoreOutlined, DashboardOutlined } from '@ant-design/icons';
import type { AppSummary, DashboardSummary, LocalizedText, MyAccess } from '@joinery/shared';
import { useEffect, useState } from 'react';
import { api } from '../api/api.ts';
import { listApps } from '../api/records-api.ts';
import { listDashboards, listReports } from '../api/reports-api.ts';
import { loadMyAccess } from '../session/my-access.ts';
import type { NavigationItem } from '../shell/navigation.ts';
import { loadPublishedForm } from './published-forms.ts';
import { visibleDashboards } from './visible-dashboards.ts';

/** The list route of a form. */
export function formListPath(app: string, form: string): string {
  return `/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form)}`;
}

/** The page of one record. */
export function recordPath(app: string, form: string, id: string): string {
  return `${formListPath(app, form)}/records/${encodeURIComponent(id)}`;
}

/** The page of one dashboard. */
export function dashboardPath(app: string, dashboard: string): string {
  return `/apps/${encodeURIComponent(app)}/dashboards/${encodeURIComponent(dashboard)}`;
}

/**
 * The menu entries of one app for this user: its published forms they may view (labelled from
 * the definition, in the server's order), then its dashboards they can use. Unpublished forms
 * have no table yet, so no entry. A form whose definition cannot be read is skipped, and
 * dashboards that cannot be listed are left out, rather than hiding the whole app. An app with
 * nothing for the user has no group at all.
 */
async function appEntries(app: AppSummary, access: MyAccess): Promise<NavigationItem | undefined> {
  const rights = access.apps[app.key] ?? {};
  const viewable = app.forms.filter(
    (form) => form.publishedVersion !== null && rights[form.key]?.actions.includes('view'),
  );
  const [forms, dashboards] = await Promise.all([
    Promise.all(
      viewable.map((form) =>
        loadPublishedForm(app.key, form.key).then(
          (loaded): NavigationItem => ({
            key: `form:${app.key}/${form.key}`,
            label: loaded.definition.label,
            path: formListPath(app.key, form.key),
          }),
          () => undefined,
        ),
      ),
    ),
    Promise.all([listDashboards(api, app.key), listReports(api, app.key)]).then(
      ([all, reports]) => visibleDashboards(all, reports, rights),
      () => [],
    ),
  ]);
  const children = [
    ...forms.filter((item): item is NavigationItem => item !== undefined),
    ...dashboards.map(
      (dashboard): NavigationItem => ({
        key: `dashboard:${app.key}/${dashboard.key}`,
        label: dashboardLabel(dashboard),
        path: dashboardPath(app.key, dashboard.key),
        icon: DashboardOutlined,
      }),
    ),
  ];
  if (children.length === 0) return undefined;
  return { key: `app:${app.key}`, label: app.label, icon: AppstoreOutlined, children };
}

/** A dashboard's title in both languages (its key when it has none). */
function dashboardLabel(dashboard: DashboardSummary): LocalizedText {
  const title = dashboard.definition.title;
  const zh = title?.['zh-CN'] ?? title?.en ?? dashboard.key;
  return { 'zh-CN': zh, en: title?.en ?? zh };
}

/**
 * The apps' menu for the signed-in user, per their roles (`GET /api/me/access`), fetched after
 * login; empty until it arrives (and if it fails: the built-in entries still work, and the pages
 * report their own errors).
 */
export function useAppNavigation(userId: string): readonly NavigationItem[] {
  const [items, setItems] = useState<readonly NavigationItem[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    Promise.all([listApps(api, { signal: controller.signal }), loadMyAccess(userId)])
      .then(([apps, access]) => Promise.all(apps.map((app) => appEntries(app, access))))
      .then(
        (next) =>
          !controller.signal.aborted &&
          setItems(next.filter((item): item is NavigationItem => item !== undefined)),
        () => undefined,
      );
    return () => controller.abort();
  }, [userId]);
  return items;
}
