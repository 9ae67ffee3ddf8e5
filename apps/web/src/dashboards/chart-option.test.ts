import type { ReportResult } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { chartOption } from './chart-option.ts';

const result = (type: string, encode: Record<string, string>): ReportResult => ({
  chart: { type, version: 1 },
  dataset: {
    dimensions: [
      { name: 'owner', displayName: 'Owner', type: 'ordinal' },
      { name: 'n', displayName: 'Count', type: 'number' },
    ],
    source: [['u1', 3]],
  },
  series: [{ type, name: 'Count', encode }],
  table: { columns: [], rows: [] },
  truncated: false,
  version: 1,
  ignoredGlobalFilters: [],
  labels: { owner: { u1: '王芳' } },
});

describe('chartOption', () => {
  it('gives a bar chart its axes from the encode, and names users', () => {
    const option = chartOption(result('bar', { x: 'owner', y: 'n' }));
    expect(option.xAxis).toEqual({ type: 'category' });
    expect(option.yAxis).toEqual({ type: 'value' });
    expect((option.dataset as { source: unknown[] }).source).toEqual([['王芳', 3]]);
  });

  it('swaps the axes of a horizontal bar, and leaves pies without axes', () => {
    const bar = chartOption(result('bar', { y: 'owner', x: 'n' }));
    expect([bar.xAxis, bar.yAxis]).toEqual([{ type: 'value' }, { type: 'category' }]);
    const pie = chartOption(result('pie', { itemName: 'owner', value: 'n' }));
    expect(pie.xAxis).toBeUndefined();
  });
});
