import { defineNodeType } from '../node-type.ts';
import { object, string } from '../schema.ts';
import { checkStepConfig, stepShape } from '../step-config.ts';
import { openStep } from '../step-runner.ts';
import { checkTimer, timerRunAt, timerSchema } from '../timer-spec.ts';

/**
 * `race` v1: whichever comes first — a review step racing a timer. If the step is approved
 * first the instance goes to `next` (and the timer is cancelled); if the timer fires first, the
 * open tasks are cancelled and the instance goes to `onTimer`. A rejection ends it rejected.
 */
export const raceNode = defineNodeType({
  type: 'race',
  version: 1,
  description: 'Whichever comes first: a review step racing a timer',
  params: object({ ...stepShape, timer: timerSchema, next: string(), onTimer: string() }),
  check: (params) => [...checkStepConfig(params), ...checkTimer(params.timer, '/timer')],
  build: (params) => ({
    role: { kind: 'step', step: params },
    successors: [
      { to: params.next, path: '/next' },
      { to: params.onTimer, path: '/onTimer', label: 'timer' },
    ],
    enter: (ctx, token) => {
      ctx.scheduleJob('race-timer', timerRunAt(ctx, params.timer), `${token.id}:race`, {
        tokenId: token.id,
      });
      openStep(ctx, token, params);
    },
    onStepDone: (ctx, token, outcome) => {
      ctx.cancelJob(`${ctx.state.instanceId}:${token.id}:race`);
      if (outcome === 'approved') {
        ctx.moveOn(token, params.next);
        return;
      }
      ctx.emit({
        type: 'notify',
        kind: 'rejected',
        userIds: [ctx.state.submitter],
        nodeId: token.nodeId,
      });
      ctx.finish('rejected');
    },
    onTimer: (ctx, token) => {
      ctx.history({ actor: null, action: 'timer-won', nodeId: token.nodeId });
      ctx.cancelToken(token, 'cancelled');
      ctx.spawn(params.onTimer, token.lineage);
    },
  }),
});
