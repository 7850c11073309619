/**
 * What HTTP status an error thrown while serving a request gets. One table for the API, the
 * dashboard and the link pages, so that "bad input" cannot answer 500 on one of them and 400 on
 * another. The rule: a HeraldError is a failure Herald foresaw and explained, so it is the
 * caller's (4xx) unless its code is one of the few that name the server's own state (5xx); a
 * database "data exception" (SQLSTATE class 22: a date, number or text outside what a column
 * holds) comes from a value in the request; anything else is a bug and stays a 500.
 */
import { HeraldError } from '../domain/errors.ts';

/** Codes with a status other than the default 400. */
const STATUS_OF_CODE: Record<string, number> = {
  TOKEN_EXPIRED: 410,
  NOT_FOUND: 404,
  RESPONSE_MESSAGE_UNKNOWN: 404,
  OPT_OUT_MANDATORY: 409,
  TOKEN_NAME_TAKEN: 409,
  INBOX_ITEM_CLOSED: 409,
  INBOX_ITEM_CHANGED: 409,
  ESCALATION_FORBIDDEN: 403,
  // A note past the text box's maxlength (a hand-made POST): the page says how long it may be.
  ESCALATION_NOTE_INVALID: 422,
};

/** Codes that describe the server (its configuration, database or templates), not the request. */
const SERVER_CODES = new Set(['TOKEN_SECRET_MISSING', 'SERVER_NOT_CONFIGURED', 'CONFIG_INVALID', 'DB_MIGRATION_FAILED', 'DB_LOCKED', 'DB_UNAVAILABLE', 'TEMPLATE_MISSING', 'TEMPLATE_INVALID', 'TOKEN_TOO_LONG']);

interface ErrorVerdict {
  status: number;
  code: string;
  /** Safe to show: the error's own message for a 4xx, a generic sentence for a 5xx. */
  message: string;
  hint?: string | undefined;
}

/** The status and code of a HeraldError. */
function heraldErrorStatus(err: HeraldError): number {
  if (err.retryable) return 503;
  if (SERVER_CODES.has(err.code)) return 500;
  return STATUS_OF_CODE[err.code] ?? 400;
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

/**
 * The verdict for an error a route threw. Errors Fastify raised itself (413 body too large, 400
 * bad JSON, 415 content type) keep their status; `reference` names the request in 5xx messages.
 */
export function classifyError(err: Error, reference: string): ErrorVerdict {
  if (err instanceof HeraldError) {
    const status = heraldErrorStatus(err);
    return { status, code: err.code, message: status >= 500 ? `Herald could not finish this request (reference ${reference}); try again shortly.` : err.message, hint: err.hint };
  }
  const state = sqlState(err);
  if (state?.startsWith('22')) {
    return { status: 400, code: 'VALUE_OUT_OF_RANGE', message: 'a value in the request (a date, number or text) is outside what Herald can store or compare', hint: 'check dates are real calendar dates in years 1970–9999 and texts are of a sensible length' };
  }
  const status = 'statusCode' in err && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode <= 599 ? err.statusCode : 500;
  const fastifyCode = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (status >= 500) {
    const timedOut = fastifyCode === 'FST_ERR_HANDLER_TIMEOUT';
    return { status, code: timedOut ? 'TIMEOUT' : 'INTERNAL', message: timedOut ? 'The request took too long; try again.' : `Herald could not finish this request (reference ${reference}); try again shortly.` };
  }
  // Fastify's own 4xx (body too large, bad JSON, unsupported type): its message is safe and says what was wrong.
  return { status, code: status === 413 ? 'PAYLOAD_TOO_LARGE' : (fastifyCode ?? 'BAD_REQUEST'), message: err.message };
}
