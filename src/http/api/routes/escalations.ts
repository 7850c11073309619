import { z } from 'zod';
import { actOnEscalation, ESCALATION_NOTE_MAX } from '../../../app/act-on-escalation.ts';
import { listEscalations } from '../../../app/list-escalations.ts';
import { apiActor, authorize } from '../api-auth.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { idempotent } from '../idempotency.ts';
import { queryBool } from '../query-bool.ts';
import { bearer, errors, IdemHeader, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

const Escalation = z
  .object({
    id: z.string(),
    comm: z.string(),
    occurrence: z.number(),
    person: z.string(),
    option: z.string(),
    comment: z.string().nullable(),
    urgency: z.enum(['urgent', 'normal']),
    owner: z.string(),
    level: z.number(),
    state: z.enum(['open', 'acknowledged', 'resolved']),
    openedAt: z.string(),
    ageSeconds: z.number(),
    escalateAt: z.string().nullable(),
    escalatedAt: z.string().nullable().describe('when it went to level 2'),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    acknowledgementNote: z.string().nullable().describe('the note given with the acknowledgement'),
    resolutionNote: z.string().nullable().describe('the note given with the resolution'),
  })
  .meta({ id: 'Escalation' });
const EscalationParams = ProjectParam.extend({ id: z.uuid() });
const EscalationActed = z.object({
  escalationId: z.string(),
  state: z.string(),
  changed: z.boolean(),
  updateMessageId: z.string().optional(),
  note: z.string().optional().describe('the note stored with this change'),
});

export function escalationRoutes(app: ApiScope, { db, idempotency, clock }: ApiDeps): void {
  app.get(
    '/projects/:project/escalations',
    {
      schema: {
        summary: 'Escalations, oldest first, as `herald escalations --format json`',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery.extend({ open: queryBool('only those not resolved') }),
        response: { 200: pageOf(Escalation), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const offset = decodeCursor(req.query.cursor);
      const list = await listEscalations(db, { project: req.params.project, open: req.query.open, now: clock.now() });
      return page(list.slice(offset, offset + req.query.limit + 1), offset, req.query.limit);
    },
  );

  for (const action of ['acknowledge', 'resolve'] as const) {
    app.post(
      `/projects/:project/escalations/:id/${action}`,
      {
        schema: {
          summary:
            action === 'acknowledge' ? 'Acknowledge an escalation; the person who answered is told' : 'Resolve an escalation; the person who answered is told',
          description:
            'Acts as the project manager (as `herald escalation`). The note is stored (acknowledgementNote or' +
            ' resolutionNote on the escalation). A repeat changes nothing, its note included (changed: false).',
          security: bearer,
          headers: IdemHeader,
          params: EscalationParams,
          body: z
            .object({ note: z.string().max(ESCALATION_NOTE_MAX).optional() })
            .nullish()
            .describe('optional; the body may be left out'),
          response: { 200: EscalationActed, ...errors },
        },
      },
      async (req, reply) => {
        authorize(req, 'editor', req.params.project);
        return idempotent(idempotency, clock, req, reply, async () => {
          const r = await actOnEscalation(
            { stores: db.stores, clock },
            { escalationId: req.params.id, action, project: req.params.project, note: req.body?.note, actor: apiActor(req) },
          );
          return { status: 200, body: r };
        });
      },
    );
  }
}
