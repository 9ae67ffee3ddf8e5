import { describe, expect, it } from 'vitest';
import { builtInChartTypeList } from './built-in-chart-types.ts';
import { countProblems, NO_OPTIONS } from './chart-checks.ts';
import { createChartTypeRegistry, defineChartType } from './chart-type.ts';

describe('chart type registry', () => {
  it('refuses the same type and version twice, keeps versions side by side', () => {
    const v1 = defineChartType<Record<string, never>>({
      type: 'gauge',
      version: 1,
      label: { 'zh-CN': '仪表盘', en: 'Gauge' },
      optionsSchema: NO_OPTIONS,
      check: (input) => countProblems('gauge', input, [0, 0], [1, 1]),
      shape: () => ({ dataset: { dimensions: [], source: [] }, series: [] }),
    });
    const v2 = { ...v1, version: 2 };
    expect(() => createChartTypeRegistry([v1, v1])).toThrow(/gauge@1/);
    const registry = createChartTypeRegistry([...builtInChartTypeList, v1, v2]);
    expect(registry.get('gauge', 1)).toBe(v1);
    expect(registry.get('gauge', 2)?.version).toBe(2);
    expect(registry.get('gauge', 3)).toBeUndefined();
  });

  it('registers the ten built-in chart types', () => {
    expect(builtInChartTypeList.map((type) => type.type)).toEqual([
      'kpi',
      'bar',
      'line',
      'area',
      'pie',
      'funnel',
      'table',
      'pivot',
      'scatter',
      'cohort',
    ]);
  });

  it('fails at definition time on a malformed options schema', () => {
    expect(() =>
      defineChartType({
        type: 'broken',
        version: 1,
        label: { 'zh-CN': '坏', en: 'Broken' },
        optionsSchema: { type: 'object', properties: { a: { type: 'nonsense' } } },
        check: () => [],
        shape: () => ({ dataset: { dimensions: [], source: [] }, series: [] }),
      }),
    ).toThrow();
  });
});
