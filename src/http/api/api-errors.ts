import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HeraldError, type ErrorCode } from '../../domain/errors.ts';
import { classifyError, statusOf } from '../error-status.ts';
import type { Logger } from '../../logger.ts';
import { requestForLog } from '../request-log.ts';

/** Every error body (src/http/error-status.ts `ErrorBody`): a stable `code`, a readable message and details (issues, hints). */
export const ApiErrorSchema = z.object({ code: z.string(), message: z.string(), details: z.unknown() }).meta({ id: 'Error' });

/** A refusal of an API request whose body carries its own details; its status is its code's (ERROR_STATUS). */
export class ApiError extends HeraldError {
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details: unknown = null) {
    super(code, message);
    this.details = details;
  }
}

export function apiErrorHandler(log: Logger | undefined) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ in: err.validationContext, path: v.instancePath, message: v.message }));
      return reply.status(400).send({
        code: 'VALIDATION_FAILED',
        message: `the request ${err.validationContext} is not valid: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`,
        details: { issues },
      });
    }
    // Its message is written for the caller, whatever the status (TEMPLATES_UNAVAILABLE is a 503).
    if (err instanceof ApiError) return reply.status(statusOf(err)).send({ code: err.code, message: err.message, details: err.details });
    const { status, code, message, details } = classifyError(err, request.id);
    if (status >= 500) log?.error({ err, ...requestForLog(request) }, 'api request failed');
    return reply.status(status).send({ code, message, details });
  };
}
