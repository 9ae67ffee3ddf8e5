import { readsEnv } from '@joinery/rules';
import type { RawBuilder, SqlBool } from 'kysely';
import type { RuleContext } from '../clock/rule-context.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { filterCondition } from './record-query.ts';

/** The most filters remembered per published form version (then the set starts over). */
const PER_FORM = 64;

/** Translated filters by filter text, per published form version (a new version, a new map). */
const translated = new WeakMap<PublishedForm, Map<string, RawBuilder<SqlBool>>>();

/**
 * {@link filterCondition}, remembered per form version and filter text when the translation can
 * only be the same again: the filter reads no context, clock or budget (`readsEnv`) and no
 * related form (whose version may change on its own). Every other filter is translated anew.
 * The SQL is immutable, so one translation serves every request that sends the same text.
 */
export function listFilterCondition(
  form: PublishedForm,
  filter: string | undefined,
  context: RuleContext,
  related: readonly PublishedForm[],
): RawBuilder<SqlBool> | null {
  if (filter === undefined || filter === '' || related.length > 0) {
    return filterCondition(form, filter, context, related);
  }
  const known = translated.get(form)?.get(filter);
  if (known) return known;
  const condition = filterCondition(form, filter, context, related);
  if (condition && !readsEnv(JSON.parse(filter))) {
    const map = translated.get(form) ?? new Map<string, RawBuilder<SqlBool>>();
    if (map.size >= PER_FORM) map.clear();
    translated.set(form, map.set(filter, condition));
  }
  return condition;
}
