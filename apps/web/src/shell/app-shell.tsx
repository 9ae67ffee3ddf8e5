import { App as AntApp, Layout, Spin } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { useOpenTaskCount } from '../inbox/use-open-task-count.ts';
import { useAppNavigation } from '../runtime/app-navigation.ts';
import { useSignedInUser } from '../session/use-session.ts';
import { builtInNavigation } from './built-in-navigation.ts';
import { HomePage } from './home-page.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { ShellHeader } from './shell-header.tsx';
import { SideMenu } from './side-menu.tsx';

// Each runtime page is its own chunk: a user who opens a list does not load the form engine.
const RecordListPage = lazy(() => import('../runtime/list/record-list-page.tsx'));
const RecordFormPage = lazy(() => import('../runtime/form/record-form-page.tsx'));
const RecordPage = lazy(() => import('../runtime/record/record-page.tsx'));
const InboxPage = lazy(() => import('../inbox/inbox-page.tsx'));
const TaskPage = lazy(() => import('../inbox/task-page.tsx'));
const DashboardPage = lazy(() => import('../dashboards/dashboard-page.tsx'));

/**
 * Everything after login: header, side menu and the page of the URL. Loaded lazily, so the
 * login page does not carry it (nor the router: the login page has no URL of its own, so a deep
 * link opened while signed out shows the login page and then, signed in, the page it names).
 * The menu comes from a navigation array only: the built-in entries, then the apps' forms
 * from the metadata API; the routes beside it are generic, one per kind of runtime page.
 */
export function AppShell() {
  // A data router: the form pages block navigation while changes are unsaved (useBlocker).
  const router = useMemo(
    () =>
      createBrowserRouter([
        {
          element: <ShellLayout />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'inbox', element: <InboxPage /> },
            { path: 'inbox/tasks/:id', element: <TaskPage /> },
            { path: 'apps/:app/forms/:form', element: <RecordListPage /> },
            { path: 'apps/:app/forms/:form/new', element: <RecordFormPage /> },
            { path: 'apps/:app/forms/:form/records/:id', element: <RecordPage /> },
            { path: 'apps/:app/forms/:form/records/:id/edit', element: <RecordFormPage /> },
            { path: 'apps/:app/dashboards/:dashboard', element: <DashboardPage /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ]),
    [],
  );
  return (
    <AntApp>
      <RouterProvider router={router} />
    </AntApp>
  );
}

function ShellLayout() {
  const user = useSignedInUser();
  const apps = useAppNavigation(user.id);
  const openTasks = useOpenTaskCount();
  const navigation = useMemo(() => [...builtInNavigation(openTasks), ...apps], [apps, openTasks]);
  return (
    <Layout className="jny-shell">
      <ShellHeader />
      <Layout>
        <Layout.Sider width={220} breakpoint="lg" collapsedWidth={0} theme="light">
          <SideMenu navigation={navigation} />
        </Layout.Sider>
        {/* antd renders Content as the page's <main>. */}
        <Layout.Content className="jny-shell__content">
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function PageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="jny-centered" role="status">
      <Spin description={t('app.loading')} />
    </div>
  );
}
