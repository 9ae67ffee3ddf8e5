import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pickLocale } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { type Static, Type } from 'typebox';
import { viewerOf } from '../access/viewer.ts';
import { auditRequest } from '../audit/request-audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { DashboardViews } from './dashboard-views.ts';
import {
  AppParams,
  DashboardInput,
  DashboardParams,
  DashboardSchema,
  DashboardViewSchema,
  DrillInput,
  DrillSchema,
  ReportInput,
  ReportParams,
  ReportSchema,
  RunInput,
  RunSchema,
  WidgetParams,
} from './report-schemas.ts';
import { ReportService } from './report-service.ts';
import { ReportStore } from './report-store.ts';
import { reportWorkbook } from './report-workbook.ts';

const tags = ['reports'];

/**
 * Reports and dashboards of an app under `/api/apps/:app`: admins save report definitions
 * (validated by the report engine) and dashboards; users list and open those their rights let
 * them run, run one widget at a time under their own rights (one SQL statement each, cancelled
 * after `timeoutMs`), drill from a point to the record list, and export a widget's data to XLSX
 * (audited, needs `export` on its forms).
 */
export const reportRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  forms: FormRegistry;
  timeoutMs: number;
  clock: Clock;
}> = async (app, { db, forms, timeoutMs, clock }) => {
  const store = new ReportStore(db, forms);
  const reports = new ReportService(db, store, timeoutMs, clock);
  const dashboardViews = new DashboardViews(reports);
  const base = '/api/apps/:app/reports';
  const dashboards = '/api/apps/:app/dashboards';

  app.get(
    base,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'The report definitions of an app the caller may run',
        params: AppParams,
        response: { 200: Type.Object({ items: Type.Array(ReportSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await reports.visibleReports(await viewerOf(request, db), request.params.app),
    }),
  );

  app.get(
    `${base}/:report`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'One report definition at its live version (403 when the caller may not run it)',
        params: ReportParams,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (request) =>
      reports.readReport(await viewerOf(request, db), request.params.app, request.params.report),
  );

  app.put(
    `${base}/:report`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Save a new version of a report definition (checked against the published forms: a refusal lists JSON pointers)',
        params: ReportParams,
        body: ReportInput,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, report } = request.params;
      const saved = await store.saveReport(
        appKey,
        report,
        request.body.definition,
        principalOf(request).userId,
      );
      await auditRequest(db, request, 'report.save', `${appKey}/${report}`, {
        version: saved.version,
      });
      return saved;
    },
  );

  /**
   * Run, drill and export, for a report (`…/reports/:report`) and for a dashboard's widget
   * (`…/dashboards/:dashboard/widgets/:widget`, 404 naming the widget when it has none such).
   */
  const widgetRoutes = <P extends typeof ReportParams | typeof WidgetParams>(
    path: string,
    params: P,
    what: string,
    reportOf: (params: Static<P>) => Promise<string>,
  ) => {
    /** The app and report a request names (the params schema `P` validated them). */
    const target = async (request: { params: unknown }) => {
      const named = request.params as Static<P>;
      return { appKey: named.app, report: await reportOf(named) };
    };
    app.post(
      `${path}/run`,
      {
        config: { access: 'user' },
        schema: {
          tags,
          summary: `Run ${what} under the caller's row scopes and field rights: one aggregate SQL statement, shaped for ECharts`,
          params,
          body: RunInput,
          response: { 200: RunSchema, ...errorResponses },
        },
      },
      async (request) => {
        const viewer = await viewerOf(request, db);
        const { appKey, report } = await target(request);
        return reports.run(viewer, appKey, report, {
          globalFilters: request.body.globalFilters ?? [],
          locale: pickLocale(request.headers['accept-language']),
        });
      },
    );

    app.post(
      `${path}/drill`,
      {
        config: { access: 'user' },
        schema: {
          tags,
          summary: `The record-list filter behind a clicked data point of ${what}`,
          params,
          body: DrillInput,
          response: { 200: DrillSchema, ...errorResponses },
        },
      },
      async (request) => {
        const viewer = await viewerOf(request, db);
        const { appKey, report } = await target(request);
        const drilled = await reports.drill(
          viewer,
          appKey,
          report,
          request.body.point,
          request.body.globalFilters ?? [],
        );
        const filter = encodeURIComponent(JSON.stringify(drilled.filter));
        return {
          ...drilled,
          url: `/apps/${encodeURIComponent(appKey)}/forms/${encodeURIComponent(drilled.dataset)}?filter=${filter}`,
        };
      },
    );

    app.post(
      `${path}/export`,
      {
        config: { access: 'user' },
        schema: {
          tags,
          summary: `Export the data of ${what} (its result table) to XLSX; needs \`export\` on its forms`,
          params,
          body: RunInput,
          produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: Type.Unknown({ description: 'The XLSX file' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const viewer = await viewerOf(request, db);
        const { appKey, report } = await target(request);
        const globalFilters = request.body.globalFilters ?? [];
        const data = await reports.run(viewer, appKey, report, {
          globalFilters,
          locale: pickLocale(request.headers['accept-language']),
          action: 'export',
        });
        await auditRequest(db, request, 'report.export', `${appKey}/${report}`, {
          version: data.version,
          rows: data.table.rows.length,
          globalFilters,
        });
        const stream = reportWorkbook(report, data, (error) =>
          request.log.error({ err: error }, 'report export failed'),
        );
        return reply
          .header(
            'content-type',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="${report}.xlsx"`)
          .send(stream);
      },
    );
  };

  widgetRoutes(`${base}/:report`, ReportParams, 'one report', async (params) => params.report);
  widgetRoutes(
    `${dashboards}/:dashboard/widgets/:widget`,
    WidgetParams,
    "one dashboard widget (its report, addressed by the widget's id)",
    (params) => store.widgetReport(params.app, params.dashboard, params.widget),
  );

  app.get(
    dashboards,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'The dashboards of an app with at least one widget the caller may run',
        params: AppParams,
        response: { 200: Type.Object({ items: Type.Array(DashboardSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await dashboardViews.visible(await viewerOf(request, db), request.params.app),
    }),
  );

  app.put(
    `${dashboards}/:dashboard`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Save a new version of a dashboard (every widget names a saved report)',
        params: DashboardParams,
        body: DashboardInput,
        response: { 200: DashboardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, dashboard } = request.params;
      const saved = await store.saveDashboard(
        appKey,
        dashboard,
        request.body,
        principalOf(request).userId,
      );
      await auditRequest(db, request, 'dashboard.save', `${appKey}/${dashboard}`, {
        version: saved.version,
      });
      return saved;
    },
  );

  app.get(
    `${dashboards}/:dashboard`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary:
          'A dashboard as the browser opens it: global filter fields and the widgets the caller may run (each run separately)',
        params: DashboardParams,
        response: { 200: DashboardViewSchema, ...errorResponses },
      },
    },
    async (request) =>
      dashboardViews.open(
        await viewerOf(request, db),
        request.params.app,
        request.params.dashboard,
      ),
  );
};
