import type { ReportResult } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { drillPoint } from './drill-point.ts';

const base = {
  chart: { type: 'bar', version: 1 },
  truncated: false,
  version: 1,
  ignoredGlobalFilters: [],
  labels: {},
};

describe('drillPoint', () => {
  it('takes the clicked row’s dimensions and the series’ measure', () => {
    const result: ReportResult = {
      ...base,
      dataset: {
        dimensions: [
          { name: 'channel', displayName: 'Channel', type: 'ordinal' },
          { name: 'n', displayName: 'Count', type: 'number' },
        ],
        source: [
          ['web', 3],
          ['store', 5],
        ],
      },
      series: [{ type: 'bar', name: 'Count', encode: { x: 'channel', y: 'n' } }],
      table: {
        columns: [
          { key: 'channel', role: 'dimension', displayName: 'Channel' },
          { key: 'n', role: 'measure', displayName: 'Count' },
        ],
        rows: [
          ['web', 3],
          ['store', 5],
        ],
      },
    };
    expect(drillPoint(result, 0, 1)).toEqual({ dimensions: { channel: 'store' }, measure: 'n' });
    expect(drillPoint(result, 0, 9)).toBeUndefined();
  });

  it('finds the split dimension’s value from the series of a split chart', () => {
    const result: ReportResult = {
      ...base,
      dataset: {
        dimensions: [
          { name: 'month', displayName: 'Month', type: 'ordinal' },
          { name: 'n:0', displayName: 'A', type: 'number' },
          { name: 'n:1', displayName: 'B', type: 'number' },
        ],
        source: [['2026-01', 1, 2]],
      },
      series: [
        { type: 'bar', name: 'A', encode: { x: 'month', y: 'n:0' } },
        { type: 'bar', name: 'B', encode: { x: 'month', y: 'n:1' } },
      ],
      table: {
        columns: [
          { key: 'month', role: 'dimension', displayName: 'Month' },
          { key: 'grade', role: 'dimension', displayName: 'Grade' },
          { key: 'n', role: 'measure', displayName: 'Count' },
        ],
        rows: [
          ['2026-01', 'A', 1],
          ['2026-01', 'B', 2],
        ],
      },
    };
    expect(drillPoint(result, 1, 0)).toEqual({
      dimensions: { month: '2026-01', grade: 'B' },
      measure: 'n',
    });
  });
});
