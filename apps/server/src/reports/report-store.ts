import { type PreparedReport, prepareReport } from '@joinery/reports';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { dashboardProblems, declaredGlobalFields } from './dashboard-problems.ts';
import { reportCatalog } from './report-catalog.ts';
import type { DashboardInput } from './report-schemas.ts';

/** A stored report definition, at its live version. */
export interface StoredReport {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly definition: unknown;
  readonly updatedAt: string;
}

/** A dashboard: global filter fields and a grid of widgets, each showing one report. */
export type DashboardDefinition = Static<typeof DashboardInput>;

/** A stored dashboard, at its live version. */
export interface StoredDashboard {
  readonly key: string;
  readonly version: number;
  readonly definition: DashboardDefinition;
  readonly updatedAt: string;
}

/**
 * Report definitions and dashboards of apps. A report is saved only when `prepareReport`
 * accepts it against the app's published forms (else `JNY_REPORT_DEFINITION_INVALID` with the
 * engine's JSON pointers); every save is a new version, kept in `report_versions`. Prepared
 * reports are cached per report version and catalogue (published form versions), so a run
 * prepares nothing twice and a republished form is seen at once.
 */
export class ReportStore {
  readonly #db: Kysely<JoineryDatabase>;
  readonly forms: FormRegistry;
  readonly #prepared = new Map<string, PreparedReport>();

  constructor(db: Kysely<JoineryDatabase>, forms: FormRegistry) {
    this.#db = db;
    this.forms = forms;
  }

  async #appId(appKey: string): Promise<string> {
    const app = await this.#db
      .selectFrom('joinery.apps')
      .select('id')
      .where('key', '=', appKey)
      .executeTakeFirst();
    if (!app) throw new JoineryError('JNY_APP_NOT_FOUND', { app: appKey });
    return app.id;
  }

  /** Validates and saves a new version of a report; returns it. */
  async saveReport(
    appKey: string,
    key: string,
    definition: unknown,
    userId: string,
  ): Promise<StoredReport> {
    const appId = await this.#appId(appKey);
    const forms = await this.forms.allOf(appKey);
    prepareReport(definition, reportCatalog(forms));
    const json = JSON.stringify(definition);
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('joinery.reports')
        .values({ app_id: appId, key, definition: json, updated_by: userId })
        .onConflict((oc) =>
          oc.columns(['app_id', 'key']).doUpdateSet((eb) => ({
            version: eb('joinery.reports.version', '+', 1),
            definition: json,
            updated_by: userId,
            updated_at: new Date(),
          })),
        )
        .returning(['id', 'key', 'version', 'definition', 'updated_at'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('joinery.report_versions')
        .values({ report_id: row.id, version: row.version, definition: json, saved_by: userId })
        .execute();
      return stored(row);
    });
  }

  /** The reports of an app, by key. */
  async listReports(appKey: string): Promise<StoredReport[]> {
    const appId = await this.#appId(appKey);
    const rows = await this.#db
      .selectFrom('joinery.reports')
      .select(['id', 'key', 'version', 'definition', 'updated_at'])
      .where('app_id', '=', appId)
      .orderBy('key')
      .execute();
    return rows.map(stored);
  }

  /** One report at its live version; 404 when unknown. */
  async getReport(appKey: string, key: string): Promise<StoredReport> {
    const appId = await this.#appId(appKey);
    const row = await this.#db
      .selectFrom('joinery.reports')
      .select(['id', 'key', 'version', 'definition', 'updated_at'])
      .where('app_id', '=', appId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) throw new JoineryError('JNY_REPORT_NOT_FOUND', { app: appKey, report: key });
    return stored(row);
  }

  /** A report at its live version, prepared against the app's current forms (see `prepare`). */
  async load(
    appKey: string,
    key: string,
  ): Promise<{ readonly stored: StoredReport; readonly report: PreparedReport }> {
    const stored = await this.getReport(appKey, key);
    return { stored, report: await this.prepare(appKey, stored) };
  }

  /**
   * A stored report with its definition prepared against the app's current forms. A definition
   * saved before a form changed may no longer prepare: that is the definition's problem (400
   * with pointers), not a 500.
   */
  async prepare(appKey: string, stored: StoredReport): Promise<PreparedReport> {
    const forms = await this.forms.allOf(appKey);
    const cacheKey = `${stored.id}@${stored.version}|${forms.map((f) => `${f.formKey}@${f.version}`).join(',')}`;
    let report = this.#prepared.get(cacheKey);
    if (!report) {
      report = prepareReport(stored.definition, reportCatalog(forms));
      if (this.#prepared.size > 500) this.#prepared.clear();
      this.#prepared.set(cacheKey, report);
    }
    return report;
  }

  /** A report prepared against the app's current forms (see `prepare`). */
  async prepared(appKey: string, key: string): Promise<PreparedReport> {
    return (await this.load(appKey, key)).report;
  }

  /**
   * Saves a new version of a dashboard, refused (`JNY_REPORT_DEFINITION_INVALID`, JSON pointers)
   * when `dashboardProblems` finds any against the app's saved reports.
   */
  async saveDashboard(
    appKey: string,
    key: string,
    definition: DashboardDefinition,
    userId: string,
  ): Promise<StoredDashboard> {
    const appId = await this.#appId(appKey);
    const declared = new Map(
      (await this.listReports(appKey)).map((report) => [
        report.key,
        declaredGlobalFields(report.definition),
      ]),
    );
    const problems = dashboardProblems(definition, declared);
    if (problems.length > 0) {
      throw new JoineryError('JNY_REPORT_DEFINITION_INVALID', { count: problems.length }, problems);
    }
    const json = JSON.stringify(definition);
    const row = await this.#db
      .insertInto('joinery.dashboards')
      .values({ app_id: appId, key, definition: json, updated_by: userId })
      .onConflict((oc) =>
        oc.columns(['app_id', 'key']).doUpdateSet((eb) => ({
          version: eb('joinery.dashboards.version', '+', 1),
          definition: json,
          updated_by: userId,
          updated_at: new Date(),
        })),
      )
      .returning(['key', 'version', 'definition', 'updated_at'])
      .executeTakeFirstOrThrow();
    return storedDashboard(row);
  }

  /** The dashboards of an app, by key. */
  async listDashboards(appKey: string): Promise<StoredDashboard[]> {
    const appId = await this.#appId(appKey);
    const rows = await this.#db
      .selectFrom('joinery.dashboards')
      .select(['key', 'version', 'definition', 'updated_at'])
      .where('app_id', '=', appId)
      .orderBy('key')
      .execute();
    return rows.map(storedDashboard);
  }

  /** One dashboard; 404 when unknown. */
  async getDashboard(appKey: string, key: string): Promise<StoredDashboard> {
    const appId = await this.#appId(appKey);
    const row = await this.#db
      .selectFrom('joinery.dashboards')
      .select(['key', 'version', 'definition', 'updated_at'])
      .where('app_id', '=', appId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) throw new JoineryError('JNY_DASHBOARD_NOT_FOUND', { app: appKey, dashboard: key });
    return storedDashboard(row);
  }

  /** The report key of a dashboard's widget; 404 when the dashboard or the widget is unknown. */
  async widgetReport(appKey: string, dashboardKey: string, widgetId: string): Promise<string> {
    const dashboard = await this.getDashboard(appKey, dashboardKey);
    const widget = dashboard.definition.widgets.find((w) => w.id === widgetId);
    if (!widget) {
      throw new JoineryError('JNY_DASHBOARD_WIDGET_NOT_FOUND', {
        dashboard: dashboardKey,
        widget: widgetId,
      });
    }
    return widget.report;
  }
}

function stored(row: {
  id: string;
  key: string;
  version: number;
  definition: unknown;
  updated_at: Date;
}): StoredReport {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    definition: row.definition,
    updatedAt: row.updated_at.toISOString(),
  };
}

function storedDashboard(row: {
  key: string;
  version: number;
  definition: unknown;
  updated_at: Date;
}): StoredDashboard {
  return {
    key: row.key,
    version: row.version,
    definition: row.definition as DashboardDefinition,
    updatedAt: row.updated_at.toISOString(),
  };
}
