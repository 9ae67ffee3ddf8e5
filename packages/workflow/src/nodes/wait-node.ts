import { defineNodeType } from '../node-type.ts';
import { object, optional, string, variant } from '../schema.ts';
import { checkTimer, timerRunAt } from '../timer-spec.ts';

/**
 * `wait` v1: pauses the branch until an instant (`until`), for a duration (`for`), or until an
 * external event of a given name arrives (`event`). An event that arrived earlier is kept by the
 * instance and consumed here at once.
 */
export const waitNode = defineNodeType({
  type: 'wait',
  version: 1,
  description: 'Wait until a date, for a duration, or for an external event',
  params: object({
    wait: variant({
      for: object({ duration: string() }),
      until: object({ at: optional(string()), field: optional(string()) }),
      event: object({ name: string() }),
    }),
    next: string(),
  }),
  check: (params) => (params.wait.kind === 'event' ? [] : checkTimer(params.wait, '/wait')),
  build: (params) => ({
    role: { kind: 'other' },
    successors: [{ to: params.next, path: '/next' }],
    enter: (ctx, token) => {
      const wait = params.wait;
      if (wait.kind === 'event') {
        const index = ctx.state.pendingEvents.findIndex((e) => e.name === wait.name);
        if (index >= 0) {
          ctx.patch({ pendingEvents: ctx.state.pendingEvents.filter((_, i) => i !== index) });
          ctx.history({
            actor: null,
            action: 'event-consumed',
            nodeId: token.nodeId,
            details: { name: wait.name },
          });
          ctx.moveOn(token, params.next);
          return;
        }
        ctx.putToken({ ...token, status: 'waiting', waitingFor: wait.name });
        return;
      }
      const runAt = timerRunAt(ctx, wait);
      if (runAt <= ctx.now) {
        ctx.moveOn(token, params.next);
        return;
      }
      ctx.putToken({ ...token, status: 'waiting' });
      ctx.scheduleJob('wait', runAt, `${token.id}:wait`, { tokenId: token.id });
    },
    onEvent: (ctx, token, name) => {
      ctx.history({
        actor: null,
        action: 'event-received',
        nodeId: token.nodeId,
        details: { name },
      });
      ctx.moveOn(token, params.next);
    },
    onTimer: (ctx, token) => {
      ctx.history({ actor: null, action: 'wait-over', nodeId: token.nodeId });
      ctx.moveOn(token, params.next);
    },
  }),
});
