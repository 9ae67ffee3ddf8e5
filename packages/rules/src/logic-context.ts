/**
 * What an expression may read besides the record itself. Context variables are read with `var`
 * and a `$` root: `{"var": "$user.id"}`, `{"var": "$now"}`, `{"var": "$old.grade"}`,
 * `{"var": "$new.grade"}`. Only these four names are context roots; any other path (including
 * other `$…` names) reads the data.
 */
export interface LogicContext {
  /** The signed-in user (id, roles, department…), read as `$user.<field>`. */
  readonly user?: Readonly<Record<string, unknown>>;
  /**
   * The instant of evaluation, read as `$now` (an ISO 8601 UTC string, so it compares with
   * stored datetimes as text and as SQL parameters alike). Defaults to the current time; pass it
   * to make evaluation reproducible.
   */
  readonly now?: Date;
  /** The record before a change (automation rules), read as `$old.<field>`. */
  readonly old?: Readonly<Record<string, unknown>> | null;
  /** The record after a change (automation rules), read as `$new.<field>`. */
  readonly new?: Readonly<Record<string, unknown>> | null;
  /**
   * Minutes east of UTC used by `today` and `cn_id_age` to decide the calendar date
   * (480 for China Standard Time). Defaults to 0 (UTC).
   */
  readonly utcOffsetMinutes?: number;
  /** Receives the argument of the `log` operator; without it `log` is silent (no server spam). */
  readonly log?: (value: unknown) => void;
}
