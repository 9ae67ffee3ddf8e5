import type { FieldDefinition, FormDefinition } from '@joinery/forms';
import type { AutomationAction, AutomationRule } from '@joinery/rules';

/** A rule that names a field the form does not have (or not of the right type), with its pointer. */
export interface FieldProblem {
  readonly reason: string;
  readonly path: string;
}

function typeProblem(
  fields: readonly FieldDefinition[],
  key: string,
  types: readonly string[],
  path: string,
): FieldProblem | undefined {
  const field = fields.find((f) => f.key === key && !f.deleted);
  if (!field) return { reason: `no field "${key}"`, path };
  if (types.includes(field.type)) return undefined;
  return { reason: `"${key}" is a ${field.type} field, not ${types.join(' or ')}`, path };
}

/**
 * A field an action writes on the record (the parent under a row trigger): `assign_owner`'s user
 * field, `set_rows`' subform or the relation leading to it (the related form's subform is checked
 * when the action runs). Not checked for triggers without a form.
 */
function actionFieldProblem(
  action: AutomationAction,
  fields: readonly FieldDefinition[],
  path: string,
): FieldProblem | undefined {
  if (fields.length === 0) return undefined;
  if (action.type === 'assign_owner' && action.field !== undefined) {
    return typeProblem(fields, action.field, ['user'], `${path}/field`);
  }
  if (action.type !== 'set_rows') return undefined;
  return action.relation === undefined
    ? typeProblem(fields, action.subform, ['subform'], `${path}/subform`)
    : typeProblem(fields, action.relation, ['relation'], `${path}/relation`);
}

/**
 * The first field a rule names that its trigger's form (as published, or in an app package)
 * cannot give: a date trigger's subform and date field, the fields actions write (see
 * `actionFieldProblem`), a task deadline's date or datetime field (of the subform's rows under a
 * row trigger). `form` is undefined for triggers without a record, where a deadline can only
 * count from now.
 */
export function ruleFieldProblem(
  rule: AutomationRule,
  form: FormDefinition | undefined,
): FieldProblem | undefined {
  const trigger = rule.trigger;
  let fields = form?.fields ?? [];
  if (trigger.kind === 'date.relative' && trigger.subform !== undefined) {
    const path = '/trigger/subform';
    const problem = typeProblem(fields, trigger.subform, ['subform'], path);
    if (problem) return problem;
    fields = fields.find((f) => f.key === trigger.subform)?.fields ?? [];
  }
  if (trigger.kind === 'date.relative') {
    const problem = typeProblem(fields, trigger.field, ['date'], '/trigger/field');
    if (problem) return problem;
  }
  const own = form?.fields ?? [];
  for (const [index, action] of rule.actions.entries()) {
    const written = actionFieldProblem(action, own, `/actions/${index}`);
    if (written) return written;
    const key = action.type === 'open_task' ? action.deadline?.field : undefined;
    if (key === undefined) continue;
    const path = `/actions/${index}/deadline/field`;
    if (!form) return { reason: `a ${trigger.kind} trigger has no record to read "${key}"`, path };
    const problem = typeProblem(fields, key, ['date', 'datetime'], path);
    if (problem) return problem;
  }
  return undefined;
}
