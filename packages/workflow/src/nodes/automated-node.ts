import { compileLogic } from '@joinery/rules';
import { isJoineryError } from '@joinery/shared';
import { clockContext, type EngineClock } from '../env.ts';
import { defineNodeType } from '../node-type.ts';
import {
  array,
  boolean,
  json,
  literal,
  object,
  optional,
  record,
  type SchemaProblem,
  string,
  variant,
} from '../schema.ts';

const actionSchema = variant({
  /** Literal `values`, and `compute`d ones from JSON-logic over the record. */
  'set-fields': object({ values: optional(record(json())), compute: optional(record(json())) }),
  'create-record': object({ form: string(), values: record(json()) }),
  webhook: object({
    url: string(),
    method: optional(literal('POST', 'PUT', 'PATCH', 'GET')),
    body: optional(json()),
    awaitResult: optional(boolean()),
  }),
});

type Compute = (record: Readonly<Record<string, unknown>>, clock: EngineClock) => unknown;

/**
 * `automated` v1: system work as effects the runtime performs — set fields of the record,
 * create a record in another form, call a webhook (from a job, retried, idempotent by key). With
 * `awaitResult` the instance waits for the webhook's `job-result`; on failure it continues
 * (`onFailure: continue`) or stops for an administrator (`stop`, the default).
 */
export const automatedNode = defineNodeType({
  type: 'automated',
  version: 1,
  description: 'Automated step: set fields, create a record, call a webhook',
  params: object({
    actions: array(actionSchema, 1),
    onFailure: optional(literal('continue', 'stop')),
    next: string(),
  }),
  check: (params) =>
    params.actions.filter((a) => a.kind === 'webhook' && a.awaitResult).length > 1
      ? [{ path: '/actions', message: 'at most one webhook per step may await its result' }]
      : [],
  build: (params, problems: SchemaProblem[]) => {
    const computed = params.actions.map((action, i) => {
      const out: Record<string, Compute> = {};
      if (action.kind !== 'set-fields') return out;
      for (const [field, logic] of Object.entries(action.compute ?? {})) {
        try {
          const fn = compileLogic(logic);
          out[field] = (rec, clock) => fn(rec, clockContext(clock));
        } catch (error) {
          if (!isJoineryError(error)) throw error;
          problems.push({ path: `/actions/${i}/compute/${field}`, message: error.message });
        }
      }
      return out;
    });
    return {
      role: { kind: 'other' },
      successors: [{ to: params.next, path: '/next' }],
      enter: (ctx, token) => {
        let awaiting = false;
        params.actions.forEach((action, i) => {
          const key = `${ctx.state.instanceId}:${token.id}:${i}`;
          if (action.kind === 'set-fields') {
            const patch: Record<string, unknown> = { ...(action.values ?? {}) };
            for (const [field, fn] of Object.entries(computed[i] ?? {})) {
              patch[field] = fn(ctx.record(), ctx.env);
            }
            ctx.updateRecord(patch);
          } else if (action.kind === 'create-record') {
            ctx.emit({ type: 'create-record', key, form: action.form, values: action.values });
          } else {
            const awaitResult = action.awaitResult ?? false;
            ctx.emit({
              type: 'call-webhook',
              key,
              url: action.url,
              method: action.method ?? 'POST',
              body: action.body ?? { instanceId: ctx.state.instanceId, record: ctx.record() },
              awaitResult,
            });
            if (awaitResult) {
              awaiting = true;
              ctx.patch({
                jobs: { ...ctx.state.jobs, [key]: { key, kind: 'webhook', tokenId: token.id } },
              });
            }
          }
        });
        ctx.history({ actor: null, action: 'automated', nodeId: token.nodeId });
        if (awaiting) ctx.putToken({ ...token, status: 'waiting' });
        else ctx.moveOn(token, params.next);
      },
      onJobResult: (ctx, token, ok, error) => {
        if (ok || params.onFailure === 'continue') {
          if (!ok) ctx.history({ actor: null, action: 'webhook-failed', nodeId: token.nodeId });
          ctx.moveOn(token, params.next);
          return;
        }
        ctx.putToken({ ...token, status: 'failed' });
        ctx.history({
          actor: null,
          action: 'failed',
          nodeId: token.nodeId,
          ...(error === undefined ? {} : { details: { error } }),
        });
      },
    };
  },
});
