/**
 * Every error code Herald reports, each listed once with the HTTP status it answers when it ends a
 * request (as bolt-js's `ErrorCode`, with the status beside it). The API, the link pages and the
 * dashboard all take the status from here (src/http/error-status.ts); the CLI prints the code's
 * message and hint. A retryable error answers 503 whatever its code (come back later). Codes the
 * CLI alone raises keep the default 400 of "the input was not accepted".
 */
export const ERROR_STATUS = {
  // The request or its input was not accepted.
  BAD_ACTION: 400,
  BAD_ESCALATION_ID: 400,
  BAD_OPTION: 400,
  BAD_PAYLOAD: 400,
  BAD_QUERY: 400,
  BAD_REQUEST: 400,
  BAD_WEEK: 400,
  BAD_WHEN: 400,
  CALENDAR_INVALID: 400,
  CURSOR_INVALID: 400,
  DATE_INVALID: 400,
  FORM_INVALID: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  INBOX_NOT_A_SURVEY: 400,
  INPUT_INVALID: 400,
  MAIL_HEADER_INVALID: 400,
  NO_MAIL: 400,
  NOT_MANUAL: 400,
  PLAN_INVALID: 400,
  RESPONSE_EMPTY: 400,
  RESPONSE_NOT_A_SURVEY: 400,
  RESPONSE_OPTION_UNKNOWN: 400,
  STARTER_INVALID: 400,
  TEMPLATE_ITEM_INVALID: 400,
  TIME_INVALID: 400,
  TOKEN_EXPIRY_INVALID: 400,
  TOKEN_FIELD_TOO_LONG: 400,
  TOKEN_INVALID: 400,
  TOKEN_PERSON_INVALID: 400,
  TOKEN_PROJECT_INVALID: 400,
  TOKEN_ROLE_INVALID: 400,
  VALIDATION_FAILED: 400,
  /** A PostgreSQL data exception (SQLSTATE class 22): a value in the request Herald cannot store or compare. */
  VALUE_OUT_OF_RANGE: 400,
  ZONE_INVALID: 400,
  // Who is asking.
  INVALID_SIGNATURE: 401,
  TOKEN_UNKNOWN: 401,
  UNAUTHENTICATED: 401,
  ESCALATION_FORBIDDEN: 403,
  APPROVAL_FORBIDDEN: 403,
  FEED_TOKEN_REQUIRED: 403,
  FORBIDDEN_FEED: 403,
  FORBIDDEN_PROJECT: 403,
  FORBIDDEN_ROLE: 403,
  SESSION_ENDED: 403,
  // What is asked for.
  NOT_FOUND: 404,
  RESPONSE_MESSAGE_UNKNOWN: 404,
  INBOX_ITEM_CHANGED: 409,
  INBOX_ITEM_CLOSED: 409,
  APPROVAL_NOT_PENDING: 409,
  APPROVAL_STALE: 409,
  OPT_OUT_MANDATORY: 409,
  TOKEN_NAME_TAKEN: 409,
  TOKEN_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  /** A note past the text box's maxlength (a hand-made POST): the page says how long it may be. */
  ESCALATION_NOTE_INVALID: 422,
  APPROVAL_NOTE_INVALID: 422,
  APPROVER_UNKNOWN: 422,
  APPROVAL_REASON_REQUIRED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  // The server's own state (configuration, database, templates), not the request: the answer hides the message.
  CONFIG_INVALID: 500,
  DB_LOCKED: 500,
  DB_MIGRATION_FAILED: 500,
  DB_UNAVAILABLE: 500,
  IMAP_OAUTH2_REFUSED: 500,
  MS_TOKEN_REFUSED: 500,
  INTERNAL: 500,
  SERVER_NOT_CONFIGURED: 500,
  TEMPLATE_INVALID: 500,
  TEMPLATE_MISSING: 500,
  TOKEN_SECRET_MISSING: 500,
  TOKEN_TOO_LONG: 500,
  // Come back later.
  CHANNEL_PERMANENT: 400,
  CHANNEL_TRANSIENT: 503,
  DATABASE_BUSY: 503,
  IMAP_OAUTH2_UNREACHABLE: 503,
  MS_TOKEN_UNREACHABLE: 503,
  TEMPLATES_UNAVAILABLE: 503,
  TIMEOUT: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Every failure Herald reports carries a stable code and says what to do next.
 * `retryable` tells queues and callers whether trying again later can succeed.
 */
export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; hint?: string; cause?: unknown } = {}) {
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
    super('NOT_FOUND', `${what} not found`, { hint });
  }
}

export class ConfigError extends HeraldError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}
