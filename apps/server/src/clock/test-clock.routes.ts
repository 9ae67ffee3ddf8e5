import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import { Type } from 'typebox';
import { errorResponses } from '../http/schemas.ts';
import type { JobWorker } from '../jobs/job-worker.ts';
import type { Clock } from './clock.ts';

/**
 * Test mode only (`JOINERY_TEST_CLOCK=true`, never in production): read the server's clock and
 * move it forward. Moving it runs every queued job due by the new time before answering, so a
 * test sees the reminders and escalations of a deadline at once, end to end, without sleeping.
 */
export const testClockRoutes: FastifyPluginAsyncTypebox<{
  clock: Clock;
  worker: () => JobWorker | undefined;
}> = async (app, { clock, worker }) => {
  const Now = Type.Object({ now: Type.String(), jobsRun: Type.Integer() });

  app.get(
    '/api/test/clock',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['test mode'],
        summary: "The server's clock (test mode)",
        response: { 200: Now, ...errorResponses },
      },
    },
    async () => ({ now: clock.now().toISOString(), jobsRun: 0 }),
  );

  app.post(
    '/api/test/clock/advance',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['test mode'],
        summary: "Move the server's clock forward and run the jobs that fall due (test mode)",
        body: Type.Object(
          {
            seconds: Type.Number({ minimum: 0, maximum: 10 * 365 * 86_400 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Now, ...errorResponses },
      },
    },
    async (request) => {
      const now = clock.advance(request.body.seconds * 1000);
      const running = worker();
      if (!running) {
        throw new JoineryError('JNY_REQUEST_INVALID', { details: 'the job worker is not running' });
      }
      const jobsRun = await running.runDueJobs(now);
      return { now: now.toISOString(), jobsRun };
    },
  );
};
