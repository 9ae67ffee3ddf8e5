import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { lendingCatalog } from '../testing/lending-fixture.ts';
import { prepareReport } from './prepare-report.ts';
import { requiredDatasets } from './required-datasets.ts';
import { reportDefinitionProblems } from './validate-report-definition.ts';

const valid = {
  version: 1,
  chart: { type: 'bar', version: 1 },
  sources: [{ key: 'a', dataset: 'applications' }],
  dimensions: [{ key: 'month', field: 'submitted', bucket: 'month' }],
  measures: [{ key: 'n', op: 'count' }],
};

function problemsOf(definition: unknown): { field: string; zh: string; en: string }[] {
  try {
    prepareReport(definition, lendingCatalog);
  } catch (error) {
    if (!isJoineryError(error)) throw error;
    expect(error.code).toBe('JNY_REPORT_DEFINITION_INVALID');
    return error.fields.map((item) => ({
      field: item.field,
      zh: typeof item.reason === 'string' ? item.reason : item.reason['zh-CN'],
      en: typeof item.reason === 'string' ? item.reason : item.reason.en,
    }));
  }
  return [];
}

const pointers = (definition: unknown) => problemsOf(definition).map((item) => item.field);

describe('prepareReport', () => {
  it('accepts a valid definition and freezes it', () => {
    const report = prepareReport(valid, lendingCatalog);
    expect(Object.isFrozen(report.definition.measures[0])).toBe(true);
    expect(report.columns.map((c) => [c.key, c.kind])).toEqual([
      ['month', 'date'],
      ['n', 'number'],
    ]);
  });

  it('points at the exact part of the structure at fault, in both languages', () => {
    const problems = problemsOf({
      ...valid,
      measures: [
        { key: 'n', op: 'median', field: 'amount' },
        { key: 'Bad Key', op: 'count' },
      ],
      extra: 1,
    });
    expect(problems.map((p) => p.field).sort()).toEqual([
      '/extra',
      '/measures/0/op',
      '/measures/1/key',
    ]);
    expect(problems.every((p) => p.zh !== p.en && p.zh.length > 0)).toBe(true);
    expect(pointers({ ...valid, sources: undefined })).toEqual(['/sources']);
    expect(pointers({ ...valid, measures: [{ key: 'r', op: 'ratio', numerator: 'n' }] })).toEqual([
      '/measures/0/denominator',
    ]);
  });

  it('checks references against the catalogue', () => {
    expect(pointers({ ...valid, sources: [{ key: 'a', dataset: 'nope' }] })).toEqual([
      '/sources/0/dataset',
    ]);
    expect(problemsOf({ ...valid, dimensions: [{ key: 'd', field: 'customer.nope' }] })).toEqual([
      {
        field: '/dimensions/0/field',
        zh: '数据集 applications 没有字段 customer.nope',
        en: 'The dataset applications has no field customer.nope',
      },
    ]);
    expect(pointers({ ...valid, dimensions: [{ key: 'd', field: '__proto__' }] })).toEqual([
      '/dimensions/0/field',
    ]);
    expect(
      pointers({ ...valid, dimensions: [{ key: 'd', field: 'status', bucket: 'month' }] }),
    ).toEqual(['/dimensions/0/bucket']);
    expect(
      pointers({ ...valid, dimensions: [{ key: 'd', field: 'amount', boundaries: [5, 5] }] }),
    ).toEqual(['/dimensions/0/boundaries']);
    expect(
      pointers({
        ...valid,
        dimensions: [{ key: 'd', field: 'submitted', bucket: 'day', timeZone: 'Mars/Olympus' }],
      }),
    ).toEqual(['/dimensions/0/timeZone']);
    expect(pointers({ ...valid, measures: [{ key: 's', op: 'sum', field: 'status' }] })).toEqual([
      '/measures/0/field',
    ]);
    expect(pointers({ ...valid, measures: [{ key: 's', op: 'sum' }] })).toEqual([
      '/measures/0/field',
    ]);
    expect(pointers({ ...valid, measures: [{ key: 'n', op: 'count', source: 'x' }] })).toEqual([
      '/measures/0/source',
      '/sources/0',
    ]);
  });

  it('checks measure references, key uniqueness, sort keys and sources without measures', () => {
    expect(
      pointers({
        ...valid,
        measures: [
          { key: 'n', op: 'count' },
          { key: 'r', op: 'ratio', numerator: 'n', denominator: 'later' },
          { key: 'later', op: 'count' },
          { key: 'month', op: 'count' },
          { key: 'c', op: 'change', of: 'n', along: 'nope' },
        ],
        sort: [{ key: 'missing' }],
      }),
    ).toEqual(['/measures/1/denominator', '/measures/3/key', '/measures/4/along', '/sort/0/key']);
    expect(
      pointers({
        ...valid,
        sources: [
          { key: 'a', dataset: 'applications' },
          { key: 'b', dataset: 'customers' },
        ],
        dimensions: [{ key: 'month', field: { a: 'submitted', b: 'created' }, bucket: 'month' }],
      }),
    ).toEqual(['/sources/1']);
    expect(
      pointers({
        ...valid,
        sources: [
          { key: 'a', dataset: 'applications' },
          { key: 'b', dataset: 'customers' },
        ],
        measures: [
          { key: 'n', op: 'count' },
          { key: 'm', op: 'count', source: 'b' },
        ],
        dimensions: [{ key: 'month', field: { a: 'submitted' }, bucket: 'month' }],
      }),
    ).toEqual(['/dimensions/0/field/b']);
  });

  it('checks the chart type, its version, its options and what it can draw', () => {
    expect(pointers({ ...valid, chart: { type: 'gauge', version: 1 } })).toEqual(['/chart/type']);
    expect(pointers({ ...valid, chart: { type: 'bar', version: 9 } })).toEqual(['/chart/type']);
    expect(
      pointers({ ...valid, chart: { type: 'bar', version: 1, options: { stack: 'yes' } } }),
    ).toEqual(['/chart/options/stack']);
    expect(pointers({ ...valid, chart: { type: 'kpi', version: 1 } })).toEqual(['/dimensions']);
    expect(
      pointers({ ...valid, chart: { type: 'scatter', version: 1, options: { x: 'zz' } } }),
    ).toEqual(['/measures', '/chart/options/x']);
  });

  it('reserves the jny_ prefix and lists the datasets the access layer must decide on', () => {
    expect(pointers({ ...valid, measures: [{ key: 'jny_agg', op: 'count' }] })).toEqual([
      '/measures/0/key',
    ]);
    expect(requiredDatasets(prepareReport(valid, lendingCatalog))).toEqual([
      'applications',
      'customers',
    ]);
  });

  it('compiles filters up front: unknown operators and excessive depth point into the definition', () => {
    let deep: unknown = { var: 'status' };
    for (let i = 0; i < 200; i++) deep = { '!': [deep] };
    expect(
      pointers({
        ...valid,
        sources: [{ key: 'a', dataset: 'applications', filter: { nope: [1] } }],
        measures: [{ key: 'n', op: 'count', filter: deep }],
      }),
    ).toEqual(['/sources/0/filter/nope', expect.stringMatching(/^\/measures\/0\/filter\//)]);
  });

  it('reportDefinitionProblems works without a catalogue (for the designer)', () => {
    expect(reportDefinitionProblems(valid)).toEqual([]);
    expect(reportDefinitionProblems({ ...valid, limit: 0 }).map((p) => p.pointer)).toEqual([
      '/limit',
    ]);
  });
});
