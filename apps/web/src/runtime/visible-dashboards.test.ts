import type { DashboardSummary, ReportSummary } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { visibleDashboards } from './visible-dashboards.ts';

const report = (key: string, ...datasets: string[]): ReportSummary => ({
  key,
  version: 1,
  updatedAt: '',
  definition: { sources: datasets.map((dataset, i) => ({ key: `s${i}`, dataset })) },
});
const dashboard = (key: string, ...reports: string[]): DashboardSummary => ({
  key,
  version: 1,
  updatedAt: '',
  definition: {
    globalFields: [],
    widgets: reports.map((r) => ({ id: r, report: r, x: 0, y: 0, w: 12, h: 8 })),
  },
});
const reports = [report('funnel', 'customer', 'loan'), report('overdue', 'contract')];
const view = { actions: ['view'], unmask: [], masked: [] };

describe('visibleDashboards', () => {
  it('shows a dashboard when one widget reads only viewable forms', () => {
    const all = [dashboard('sales', 'funnel'), dashboard('risk', 'overdue', 'funnel')];
    expect(
      visibleDashboards(all, reports, { customer: view, loan: view }).map((d) => d.key),
    ).toEqual(['sales', 'risk']);
    expect(visibleDashboards(all, reports, { contract: view }).map((d) => d.key)).toEqual(['risk']);
  });

  it('hides dashboards whose reports read a form without the view right, or are unknown', () => {
    const all = [dashboard('sales', 'funnel'), dashboard('ghost', 'missing')];
    const createOnly = { actions: ['create'], unmask: [], masked: [] };
    expect(visibleDashboards(all, reports, { customer: view, loan: createOnly })).toEqual([]);
  });
});
