import {
  buildReportQuery,
  type ChartData,
  type DrillTarget,
  drillDown,
  type PreparedReport,
  shapeResult,
} from '@joinery/reports';
import { isJoineryError, type Locale } from '@joinery/shared';
import type { Kysely } from 'kysely';
import type { Viewer } from '../access/viewer.ts';
import type { Clock } from '../clock/clock.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { reportAccess } from './report-access.ts';
import { assertDrillUnmasked, maskDimensions, personalDimensions } from './report-masking.ts';
import type { ReportStore, StoredReport } from './report-store.ts';
import { type UserLabels, userLabels } from './report-user-labels.ts';
import { runReportQuery } from './run-report-query.ts';

/** The refusals of a run that come from the viewer's rights, not from the report. */
const RIGHTS_REFUSALS = new Set([
  'JNY_REPORT_DATASET_FORBIDDEN',
  'JNY_REPORT_FIELD_UNREADABLE',
  'JNY_FIELD_MASKED_QUERY',
]);

/** The refusals of a stored definition a form change broke (a field gone, or now encrypted). */
const BROKEN_DEFINITION = new Set(['JNY_REPORT_DEFINITION_INVALID', 'JNY_FIELD_ENCRYPTED_QUERY']);

/**
 * A widget's result: the chart's data, the report version it came from, unbound filters, and
 * the display names of the users it groups by.
 */
export interface ReportResult extends ChartData {
  readonly version: number;
  readonly ignoredGlobalFilters: readonly number[];
  readonly labels: UserLabels;
}

/**
 * Runs reports for viewers: the prepared report, the viewer's rights on every dataset it reads
 * (`view` action, `view` scope, readable fields), one statement in Postgres, the rows shaped for
 * ECharts. Nothing is aggregated in Node.
 */
export class ReportService {
  readonly #db: Kysely<JoineryDatabase>;
  readonly store: ReportStore;
  readonly #timeoutMs: number;
  /** `$now`, `today` and date buckets: the server's clock and calendar (JOINERY_UTC_OFFSET_MINUTES). */
  readonly #clock: Clock;

  /** `timeoutMs`: how long one widget's statement may run (`JOINERY_REPORT_TIMEOUT_MS`). */
  constructor(db: Kysely<JoineryDatabase>, store: ReportStore, timeoutMs: number, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.store = store;
    this.#timeoutMs = timeoutMs;
  }

  #context(viewer: Viewer) {
    const { utcOffsetMinutes } = this.#clock;
    return { user: viewer.user, now: this.#clock.now(), utcOffsetMinutes };
  }

  /**
   * The reports `viewer` may run, by key: administrators see all of them (a definition a form
   * change broke included, so they can fix it); anyone else only those whose rights check
   * passes — every source form viewable, every field read readable. A list never offers a
   * report that would refuse its reader.
   */
  async visibleReports(viewer: Viewer, appKey: string): Promise<StoredReport[]> {
    const all = await this.store.listReports(appKey);
    if (viewer.isAdmin) return all;
    const visible: StoredReport[] = [];
    for (const stored of all) {
      const report = await this.#preparedOrNull(appKey, stored);
      if (report && this.mayRun(viewer, appKey, report)) visible.push(stored);
    }
    return visible;
  }

  /** One report definition, refused (403, as its run) when `viewer` may not run it. */
  async readReport(viewer: Viewer, appKey: string, reportKey: string): Promise<StoredReport> {
    if (viewer.isAdmin) return this.store.getReport(appKey, reportKey);
    const { stored, report } = await this.store.load(appKey, reportKey);
    this.#checkRights(viewer, appKey, report);
    return stored;
  }

  /** Whether `viewer` may run `report`: the rights check of a run, without the database. */
  mayRun(viewer: Viewer, appKey: string, report: PreparedReport): boolean {
    try {
      this.#checkRights(viewer, appKey, report);
      return true;
    } catch (error) {
      if (isJoineryError(error) && RIGHTS_REFUSALS.has(error.code)) return false;
      throw error;
    }
  }

  #checkRights(viewer: Viewer, appKey: string, report: PreparedReport): void {
    buildReportQuery(report, {
      access: reportAccess(viewer, appKey, report),
      context: this.#context(viewer),
    });
  }

  /** A stored report prepared, or null when a form change broke its definition. */
  async #preparedOrNull(appKey: string, stored: StoredReport): Promise<PreparedReport | null> {
    try {
      return await this.store.prepare(appKey, stored);
    } catch (error) {
      if (isJoineryError(error) && BROKEN_DEFINITION.has(error.code)) return null;
      throw error;
    }
  }

  /** One widget's data for `viewer`; `action: 'export'` also needs `export` on its sources. */
  async run(
    viewer: Viewer,
    appKey: string,
    reportKey: string,
    options: {
      readonly globalFilters?: readonly unknown[];
      readonly locale: Locale;
      readonly action?: 'view' | 'export';
    },
  ): Promise<ReportResult> {
    const { stored, report } = await this.store.load(appKey, reportKey);
    const access = reportAccess(viewer, appKey, report, options.action ?? 'view');
    const { compiled, ignoredGlobalFilters } = buildReportQuery(report, {
      access,
      globalFilters: options.globalFilters ?? [],
      context: this.#context(viewer),
    });
    const rows = await runReportQuery(this.#db, appKey, compiled, this.#timeoutMs);
    const personal = personalDimensions(report, await this.store.forms.allOf(appKey));
    const data = shapeResult(report, maskDimensions(rows, personal), { locale: options.locale });
    return {
      ...data,
      version: stored.version,
      ignoredGlobalFilters,
      labels: await userLabels(this.#db, data),
    };
  }

  /**
   * The record-list filter behind a clicked point. The viewer must be allowed to run the report
   * (same rights check as a run), so a drill never reveals a filter over fields they may not
   * read; the record list applies their row scope on its own.
   */
  async drill(
    viewer: Viewer,
    appKey: string,
    reportKey: string,
    point: {
      readonly dimensions: Readonly<Record<string, string | number | boolean | null>>;
      readonly measure?: string;
    },
    globalFilters: readonly unknown[],
  ): Promise<DrillTarget> {
    const report = await this.store.prepared(appKey, reportKey);
    const access = reportAccess(viewer, appKey, report);
    buildReportQuery(report, {
      access,
      globalFilters,
      context: this.#context(viewer),
    });
    assertDrillUnmasked(
      point.dimensions,
      personalDimensions(report, await this.store.forms.allOf(appKey)),
    );
    return drillDown(report, point, {
      globalFilters,
      utcOffsetMinutes: this.#clock.utcOffsetMinutes,
    });
  }
}
