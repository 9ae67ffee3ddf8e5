import { describe, expect, it } from 'vitest';
import { advance } from './advance.ts';
import { builtInNodeTypes } from './built-in-node-types.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { defineNodeType } from './node-type.ts';
import { object, string } from './schema.ts';
import { n, workflowOf } from './testing/node-builders.ts';
import { lendingOrg } from './testing/org-fixture.ts';

/** A v2 of `end` that also writes a status field — old workflows keep using v1. */
const endV2 = defineNodeType({
  type: 'end',
  version: 2,
  description: 'End that stamps a status',
  params: object({ status: string() }),
  build: (params) => ({
    role: { kind: 'end' },
    successors: [],
    enter: (ctx, token) => {
      ctx.dropToken(token.id);
      ctx.updateRecord({ status: params.status });
      ctx.finish('approved');
    },
  }),
});

describe('node type registry', () => {
  const registry = builtInNodeTypes.with(endV2);

  it('keeps old versions registered next to new ones', () => {
    expect(registry.get('end', 1)).toBeDefined();
    expect(registry.get('end', 2)).toBe(endV2);
    expect(builtInNodeTypes.get('end', 2)).toBeUndefined();
    expect(registry.list().length).toBe(builtInNodeTypes.list().length + 1);
  });

  it('refuses registering the same type and version twice', () => {
    expect(() => registry.with(endV2)).toThrow(/registered twice/);
  });

  it('runs each saved workflow with the version it names', () => {
    const v1 = compileWorkflow(workflowOf(n.start('end'), n.end()), registry);
    const v2 = compileWorkflow(
      workflowOf(n.start('end'), {
        id: 'end',
        type: 'end',
        version: 2,
        params: { status: 'done' },
      }),
      registry,
    );
    const env = { now: '2026-11-23T09:00:00Z', org: lendingOrg() };
    const start = { type: 'start', instanceId: 'i', submitter: 'sales1', record: {} } as const;
    expect(advance(v1, undefined, start, env).effects.some((e) => e.type === 'update-record')).toBe(
      false,
    );
    expect(advance(v2, undefined, start, env).effects).toContainEqual({
      type: 'update-record',
      patch: { status: 'done' },
    });
  });

  it('validates parameters with the node type schema', () => {
    expect(() =>
      compileWorkflow(
        workflowOf(n.start('end'), { id: 'end', type: 'end', version: 2, params: {} }),
        registry,
      ),
    ).toThrow(/status: required/);
  });
});
