/** Job task names of the automation runtime. */
export const AUTOMATION_WEBHOOK_JOB = 'automation_webhook';
export const AUTOMATION_START_WORKFLOW_JOB = 'automation_start_workflow';
export const AUTOMATION_SCHEDULE_JOB = 'automation_schedule';
export const AUTOMATION_DATE_SCAN_JOB = 'automation_date_scan';

/** An outbound webhook call of a run's action. */
export interface WebhookJobPayload {
  readonly runId: string;
  readonly index: number;
  readonly url: string;
  readonly body: unknown;
}

/** A workflow to start on a record once the triggering change has committed. */
export interface StartWorkflowJobPayload {
  readonly runId: string;
  readonly index: number;
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
  readonly workflow: string;
  readonly submitter: string;
  readonly chain: readonly string[];
}

/** The next occurrence of a schedule rule (ignored when the rule changed since). */
export interface ScheduleJobPayload {
  readonly ruleId: string;
  readonly revision: number;
  readonly due: string;
}

/**
 * The next scan of a date-relative rule (ignored when the rule changed since): at `due`, fire every
 * record whose firing time falls after `after` and up to the scan's clock.
 */
export interface DateScanJobPayload {
  readonly ruleId: string;
  readonly revision: number;
  readonly due: string;
  readonly after: string;
}

export const AUTOMATION_DATE_RETRY_JOB = 'automation_date_retry';
export const AUTOMATION_DATE_INDEX_JOB = 'automation_date_index';

/** The next attempt at a date-relative occurrence whose run failed (its ledger entry `retrying`). */
export interface DateRetryJobPayload {
  readonly ruleId: string;
  readonly subjectId: string;
  readonly recordId: string;
  readonly occurrence: string;
  /** The number of this attempt (the scan's firing was the first). */
  readonly attempt: number;
}

/** Index the date column a date-relative rule scans (after the rule was saved). */
export interface DateIndexJobPayload {
  readonly ruleId: string;
}
