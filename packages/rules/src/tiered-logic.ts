import type { CompiledLogic } from './compile-logic.ts';
import { guarded } from './evaluator.ts';

/**
 * Calls on the closures before a rule is generated (the server's default, `backend: 'auto'`).
 * Building the generated function (`new Function`) costs 100–300 µs for a lending rule, 5–10×
 * the closures compile, and each call on it saves well under 1 µs: most rules a request
 * compiles run a handful of times, so only rules called this often pay for it. Measured with
 * `node bench/run.mjs rules` (docs/benchmarks.md).
 */
export const HOT_AFTER_CALLS = 256;

/**
 * Tiered evaluation: answers with `cold` (the closures, cheap to build) for the first
 * `hotAfter - 1` calls, then builds `hot` (the generated function) once and answers with it
 * from the `hotAfter`-th call on. Both give identical results, so the switch is invisible to the
 * caller; the returned function is their guard (`guarded`: catalogue errors, and `readsContext`
 * false passes only `data` on).
 */
export function tieredLogic(
  cold: CompiledLogic,
  build: () => CompiledLogic,
  hotAfter: number,
  readsContext = true,
): CompiledLogic {
  let calls = 1;
  const target: { logic: CompiledLogic } = {
    logic: (data, context) => {
      if (calls < hotAfter) {
        calls += 1;
        return cold(data, context);
      }
      target.logic = build();
      return target.logic(data, context);
    },
  };
  return guarded(target, readsContext);
}
