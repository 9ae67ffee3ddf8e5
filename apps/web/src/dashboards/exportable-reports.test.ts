import type { ReportSummary } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { exportableReports } from './exportable-reports.ts';

const report = (key: string, datasets: string[]): ReportSummary => ({
  key,
  version: 1,
  definition: { sources: datasets.map((dataset) => ({ key: dataset, dataset })) },
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('exportableReports', () => {
  it('keeps the reports every form of which the user may export', () => {
    const rights = {
      loan: { actions: ['view', 'export'], unmask: [], masked: [] },
      customer: { actions: ['view'], unmask: [], masked: [] },
    };
    const reports = [
      report('loans', ['loan']),
      report('joined', ['loan', 'customer']),
      report('customers', ['customer']),
      report('empty', []),
    ];
    expect([...exportableReports(reports, rights)]).toEqual(['loans']);
  });
});
