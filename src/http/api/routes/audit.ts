import { z } from 'zod';
import { listAudit, projectZone } from '../../../app/audit-trail.ts';
import { parseSince } from '../../../domain/audit/actions.ts';
import { authorize } from '../api-auth.ts';
import { decodeCursor, pageOf, PageQuery } from '../api-pages.ts';
import { bearer, errors, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

const AuditItem = z
  .object({
    at: z.string(),
    actor: z.string().describe("an API token's name, user@host (CLI), a person's plan id, or herald"),
    action: z.string().describe('plan.applied, plan.rolled-back, milestone.moved, milestone.done, message.retried, …'),
    project: z.string().nullable(),
    ref: z.string().describe('what it refers to: a plan version, milestone, message, escalation, token, person and comm'),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

export function auditRoutes(app: ApiScope, { db }: ApiDeps): void {
  app.get(
    '/projects/:project/audit',
    {
      schema: {
        summary: 'The audit trail: every action that changed what people receive or what Herald records, oldest first',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery.extend({
          since: z.string().optional().describe('from this date (YYYY-MM-DD, project zone) or date-time with offset'),
        }),
        response: { 200: pageOf(AuditItem), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const q = req.query;
      // The cursor is the position (seq) of the last entry returned: later entries never shift a page.
      const after = decodeCursor(q.cursor);
      const since = q.since === undefined ? undefined : parseSince(q.since, await projectZone(db, req.params.project));
      const rows = await listAudit(db, { project: req.params.project, since, afterSeq: after ? String(after) : undefined, limit: q.limit + 1 });
      const items = rows.slice(0, q.limit);
      const last = items.at(-1);
      return {
        items: items.map((e) => ({ at: e.at.toISOString(), actor: e.actor, action: e.action, project: e.projectKey, ref: e.ref, detail: e.detail })),
        nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify({ o: Number(last.seq) })).toString('base64url') : null,
      };
    },
  );
}
