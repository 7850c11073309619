import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HeraldError, PlanInvalidError } from '../../domain/errors.ts';
import type { Logger } from '../../logger.ts';
import { requestForLog } from '../request-log.ts';

/** Every /api/v1 error body: a stable `code`, a readable message and details (issues, hints). */
export const ApiErrorSchema = z.object({ code: z.string(), message: z.string(), details: z.unknown() }).meta({ id: 'Error' });

export class ApiError extends HeraldError {
  readonly status: number;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(code, message);
    this.status = status;
    this.details = details;
  }
}

/** Domain error codes that are the caller's fault, with their status. */
const STATUS_OF_CODE: Record<string, number> = {
  NOT_FOUND: 404,
  PLAN_INVALID: 400,
  TOKEN_ROLE_INVALID: 400,
  MILESTONE_WHEN_INVALID: 400,
};

export function apiErrorHandler(log: Logger | undefined) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ in: err.validationContext, path: v.instancePath, message: v.message }));
      return reply.status(400).send({ code: 'VALIDATION_FAILED', message: `the request ${err.validationContext} is not valid: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`, details: { issues } });
    }
    if (err instanceof ApiError) return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    if (err instanceof PlanInvalidError) {
      return reply.status(400).send({ code: err.code, message: err.message, details: { issues: err.issues } });
    }
    if (err instanceof HeraldError) {
      const status = STATUS_OF_CODE[err.code] ?? (err.code.endsWith('_INVALID') ? 400 : err.retryable ? 503 : 500);
      if (status >= 500) log?.error({ err, ...requestForLog(request) }, 'api request failed');
      return reply.status(status).send({ code: err.code, message: status >= 500 ? 'Herald could not finish this request; try again shortly.' : err.message, details: err.hint ? { hint: err.hint } : null });
    }
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 500) {
      log?.error({ err, ...requestForLog(request) }, 'api request failed');
      return reply.status(status).send({ code: 'INTERNAL', message: `Herald could not finish this request (reference ${request.id}); try again shortly.`, details: null });
    }
    const code = 'code' in err && typeof err.code === 'string' ? err.code : 'BAD_REQUEST';
    return reply.status(status).send({ code, message: err.message, details: null });
  };
}
