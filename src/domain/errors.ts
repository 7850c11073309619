/**
 * Every failure Herald reports carries a stable string code and says what to do next.
 * `retryable` tells queues and callers whether trying again later can succeed.
 */
export class HeraldError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(code: string, message: string, opts: { retryable?: boolean; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.hint = opts.hint;
  }
}

/** One problem found in a plan file, located by file and line. */
export interface PlanIssue {
  file: string;
  line: number;
  /** Dotted path inside the plan, e.g. `comms[3].schedule.at`. */
  path: string;
  message: string;
}

export function formatPlanIssue(i: PlanIssue): string {
  return `${i.file}:${i.line}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** A plan that failed validation; it lists every problem found, not only the first. */
export class PlanInvalidError extends HeraldError {
  readonly issues: readonly PlanIssue[];
  constructor(issues: readonly PlanIssue[]) {
    super('PLAN_INVALID', `the plan has ${issues.length} error${issues.length === 1 ? '' : 's'}:\n${issues.map(formatPlanIssue).join('\n')}`);
    this.issues = issues;
  }
}

export class NotFoundError extends HeraldError {
  constructor(what: string, hint?: string) {
    super('NOT_FOUND', `${what} not found`, hint === undefined ? {} : { hint });
  }
}

export class ConfigError extends HeraldError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}
