import type { StoredAnswer } from './action-keys.ts';

/** The app and form of a workflow's record. */
export interface TaskForm {
  readonly app: string;
  readonly form: string;
}

/** Past this many tasks, the hints start over (each entry is an id and two keys). */
const MAX_ENTRIES = 10_000;

/**
 * Which form each task's record belongs to, as far as this process has seen (tasks it answered
 * or opened): a hint that lets an action read the task, its instance and the record in one
 * statement. The facts never change — a task belongs to one instance, an instance to one record
 * of one form — and the statement joins the record only where the instance names that very
 * app and form, so a hint can save a round trip but never change an answer; without one, the
 * record is read on its own.
 */
export class TaskForms {
  readonly #forms = new Map<string, TaskForm>();

  of(taskId: string): TaskForm | undefined {
    return this.#forms.get(taskId);
  }

  remember(taskIds: readonly string[], form: TaskForm): void {
    if (this.#forms.size + taskIds.length > MAX_ENTRIES) this.#forms.clear();
    for (const id of taskIds) this.#forms.set(id, { app: form.app, form: form.form });
  }

  /** Remembers the open tasks of a step's successful answer (a start's, an action's). */
  rememberAnswer(answer: StoredAnswer, form: TaskForm): void {
    if (answer.statusCode >= 300) return;
    const { openTasks = [] } = answer.body as { openTasks?: { id: string }[] };
    this.remember(
      openTasks.map((open) => open.id),
      form,
    );
  }
}
