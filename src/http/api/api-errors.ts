import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HeraldError, PlanInvalidError } from '../../domain/errors.ts';
import { classifyError } from '../error-status.ts';
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
    const v = classifyError(err, request.id);
    if (v.status >= 500) log?.error({ err, ...requestForLog(request) }, 'api request failed');
    return reply.status(v.status).send({ code: v.code, message: v.message, details: v.hint ? { hint: v.hint } : null });
  };
}
