import type { FastifyRequest } from 'fastify';
import { authenticateApiToken, type ApiRole, type ApiTokenInfo } from '../../app/api-tokens.ts';
import type { Clock } from '../../app/ports.ts';
import { ApiError } from './api-errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiToken?: ApiTokenInfo;
  }
}

/** feed ranks below viewer: it opens calendar feeds only (src/http/calendar-feeds.ts), no API route. */
const RANK: Record<ApiRole, number> = { feed: -1, viewer: 0, editor: 1, admin: 2 };

/** onRequest hook: a live bearer token or 401. */
export function bearerAuth(prisma: Parameters<typeof authenticateApiToken>[0], clock: Clock) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m)
      throw new ApiError('UNAUTHENTICATED', 'send a bearer token: "Authorization: Bearer <token>"', {
        hint: 'create one with: herald token create --role viewer',
      });
    const token = await authenticateApiToken(prisma, m[1]!, clock.now());
    if (!token) throw new ApiError('TOKEN_UNKNOWN', 'the bearer token is unknown or revoked', { hint: 'see "herald token list"' });
    // Before any route runs, so no /api/v1 route (present or future) can forget to refuse it.
    if (token.role === 'feed')
      throw new ApiError('FORBIDDEN_ROLE', `"${token.name}" is a feed token: it opens calendar feeds only, not the API`, { needed: 'viewer', role: 'feed' });
    // Every operation that changes something needs an editor: refused here, before the body is
    // validated, so a viewer learns "not allowed" rather than what the body should have been.
    if (request.method !== 'GET' && request.method !== 'HEAD' && !hasRole(token, 'editor')) {
      throw new ApiError('FORBIDDEN_ROLE', `this needs an editor token; "${token.name}" is ${token.role}`, { needed: 'editor', role: token.role });
    }
    request.apiToken = token;
  };
}

/** Whether `token` has at least `role` (the API and the dashboard share this ladder). */
export function hasRole(token: Pick<ApiTokenInfo, 'role'>, role: ApiRole): boolean {
  return RANK[token.role] >= RANK[role];
}

/** Whether `token` may see `project` (tokens limited to a project see only it). */
export function mayAccessProject(token: Pick<ApiTokenInfo, 'projectKey'>, project: string): boolean {
  return token.projectKey === null || token.projectKey === project;
}

/** 403 unless the request's token has at least `role` and, when it is limited to a project, that project. */
export function authorize(request: FastifyRequest, role: ApiRole, project?: string): ApiTokenInfo {
  const t = request.apiToken!;
  if (!hasRole(t, role)) {
    throw new ApiError(
      'FORBIDDEN_ROLE',
      `this needs a ${role} token; "${t.name}" is ${t.role}${t.role === 'feed' ? ' (feed tokens open calendar feeds only)' : ''}`,
      { needed: role, role: t.role },
    );
  }
  if (project !== undefined && !mayAccessProject(t, project)) {
    throw new ApiError('FORBIDDEN_PROJECT', `token "${t.name}" is limited to project ${t.projectKey}`, { project, allowed: t.projectKey });
  }
  return t;
}

/** Who a request acts as, for plan versions and the audit log: its token's name. */
export function apiActor(request: FastifyRequest): string {
  return request.apiToken?.name ?? 'anonymous';
}
