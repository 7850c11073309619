/**
 * What an error thrown while serving a request answers: its status (from the one table of codes,
 * ERROR_STATUS in src/domain/errors.ts), and the one JSON body every route sends,
 * `{ code, message, details }`, or the lines of the page a person sees. One verdict for the API,
 * the dashboard and the link pages, so that "bad input" cannot answer 500 on one of them and 400
 * on another. The rule: a HeraldError is a failure Herald foresaw and explained, so it answers its
 * code's status (503 when it is retryable); a database "data exception" (SQLSTATE class 22: a
 * date, number or text outside what a column holds) comes from a value in the request; anything
 * else is a bug and stays a 500.
 */
import { ERROR_STATUS, HeraldError, PlanInvalidError, type ErrorCode } from '../domain/errors.ts';

/** A code in an error body: one of Herald's, or Fastify's own (`FST_ERR_…`) for an error Fastify raised. */
type WireCode = ErrorCode | `FST_${string}`;

/** The one JSON error body of every route: a stable `code`, a readable message, and details (issues, hints) or null. */
export type ErrorBody = {
  code: WireCode;
  message: string;
  details: unknown;
};

/** `message` is safe to show: the error's own message for a 4xx, a generic sentence for a 5xx. */
type ErrorVerdict = ErrorBody & {
  status: number;
  /** What to do next, for an error page (the JSON body carries it in details). */
  hint?: string | undefined;
};

/** The body of an error with an optional hint (details `{ hint }`, else null). */
export function errorBody(code: WireCode, message: string, hint?: string): ErrorBody {
  return { code, message, details: hint ? { hint } : null };
}

/** The status a HeraldError answers: its code's, or 503 (try again later) when it is retryable. */
export function statusOf(err: HeraldError): number {
  return err.retryable ? 503 : ERROR_STATUS[err.code];
}

/** A PostgreSQL data exception (class 22) reported through Prisma's driver adapter or raw SQL. */
function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const o = e as { code?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
    // Prisma's own codes (P2010…) have the same shape as a SQLSTATE: a Prisma error (it carries
    // clientVersion) is unwrapped to the driver's error instead.
    if (typeof o.code === 'string' && /^[0-9A-Z]{5}$/.test(o.code) && !('clientVersion' in o)) return o.code;
    const originalCode = (o as { originalCode?: unknown }).originalCode;
    if (typeof originalCode === 'string' && /^[0-9A-Z]{5}$/.test(originalCode)) return originalCode;
    e = o.meta?.driverAdapterError ?? o.cause;
  }
  return undefined;
}

const unfinished = (reference: string) => `Herald could not finish this request (reference ${reference}); try again shortly.`;

/**
 * The verdict for an error a route threw. Errors Fastify raised itself (413 body too large, 400
 * bad JSON, 415 content type) keep their status; `reference` names the request in 5xx messages.
 */
export function classifyError(err: Error, reference: string): ErrorVerdict {
  if (err instanceof HeraldError) {
    const status = statusOf(err);
    const message = status >= 500 ? unfinished(reference) : err.message;
    const details = err instanceof PlanInvalidError ? { issues: err.issues } : err.hint ? { hint: err.hint } : null;
    return { status, code: err.code, message, details, hint: err.hint };
  }
  const state = sqlState(err);
  if (state?.startsWith('22')) {
    const hint = 'check dates are real calendar dates in years 1970–9999 and texts are of a sensible length';
    return {
      status: ERROR_STATUS.VALUE_OUT_OF_RANGE,
      ...errorBody('VALUE_OUT_OF_RANGE', 'a value in the request (a date, number or text) is outside what Herald can store or compare', hint),
      hint,
    };
  }
  const status = 'statusCode' in err && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode <= 599 ? err.statusCode : 500;
  const fastifyCode = 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_') ? (err.code as `FST_${string}`) : undefined;
  if (status >= 500) {
    const timedOut = fastifyCode === 'FST_ERR_HANDLER_TIMEOUT';
    return { status, ...errorBody(timedOut ? 'TIMEOUT' : 'INTERNAL', timedOut ? 'The request took too long; try again.' : unfinished(reference)) };
  }
  // Fastify's own 4xx (body too large, bad JSON, unsupported type): its message is safe and says what was wrong.
  return { status, ...errorBody(status === 413 ? 'PAYLOAD_TOO_LARGE' : (fastifyCode ?? 'BAD_REQUEST'), err.message) };
}

/**
 * The lines of an error page a person reads: the message as a sentence, then what to do next.
 * The link pages and the dashboard both render an error this way.
 */
export function errorLines(message: string, hint?: string): string[] {
  const stop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
  const first = stop(`${message.charAt(0).toUpperCase()}${message.slice(1)}`);
  return hint ? [first, `To fix: ${stop(hint)}`] : [first];
}
