import { z } from 'zod';
import { approvalEntry, approvalEntryWithVariants, pendingFirst } from '../../../app/approval-entry.ts';
import { APPROVAL_NOTE_MAX, decideApproval } from '../../../app/decide-approval.ts';
import { listApprovals } from '../../../app/list-approvals.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { ApiErrorSchema } from '../api-errors.ts';
import { apiActor, authorize } from '../api-auth.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { idempotent } from '../idempotency.ts';
import { bearer, errors, IdemHeader, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

const Decision = z.enum(['approve', 'reject']);
const Approval = z
  .object({
    id: z.string(),
    comm: z.string().describe("the comm's key"),
    title: z.string().describe('the comm\'s title with its occurrence, e.g. "Cutover ops briefing 2 of 3"'),
    occurrence: z.number().describe('0-based'),
    state: z.enum(['pending', 'approved', 'rejected']),
    round: z.number().describe('goes up each time the content changed and the approvers were asked again'),
    needs: z.enum(['any', 'all']),
    firstSendAt: z.string(),
    requestedAt: z.string(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable().describe("the deciding vote's note (a rejection's reason)"),
    held: z.number().describe('messages held now, waiting for it'),
    approvers: z.array(
      z.object({
        person: z.string(),
        name: z.string(),
        decision: Decision.nullable(),
        note: z.string().nullable(),
        at: z.string().nullable(),
        via: z.string().nullable(),
        actor: z.string().nullable().describe('who recorded it: the approver, or the editor acting for them'),
      }),
    ),
    others: z
      .array(z.object({ actor: z.string(), decision: Decision, note: z.string().nullable(), at: z.string(), via: z.string() }))
      .describe('votes of editors who decided as themselves'),
  })
  .meta({ id: 'Approval' });
const ApprovalWithVariants = Approval.extend({
  variants: z
    .array(
      z.object({
        audience: z.string(),
        channel: z.enum(['slack', 'email']),
        locale: z.string(),
        sample: z.string().describe("the sample recipient's name"),
        subject: z.string(),
        text: z.string(),
      }),
    )
    .describe('each audience × channel × locale the comm reaches, rendered for a sample recipient'),
}).meta({ id: 'ApprovalWithVariants' });
const ApprovalParams = ProjectParam.extend({ id: z.uuid() });
const Decided = z.object({
  approvalId: z.string(),
  projectKey: z.string(),
  commKey: z.string(),
  occurrence: z.number(),
  state: z.enum(['pending', 'approved', 'rejected']),
  changed: z.boolean().describe('false when the approval was already decided'),
  released: z.number().describe('held messages sent now'),
  skipped: z.number().describe('held messages skipped: approved later than approval.catchUp allows'),
});

export function approvalRoutes(app: ApiScope, { db, idempotency, clock }: ApiDeps): void {
  app.get(
    '/projects/:project/approvals',
    {
      schema: {
        summary: 'Approvals, pending first (soonest first send first), then decided ones; as `herald approvals --format json` without the variants',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery.extend({ state: z.enum(['pending', 'approved', 'rejected']).optional() }),
        response: { 200: pageOf(Approval), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const offset = decodeCursor(req.query.cursor);
      const list = pendingFirst(await listApprovals(db, { project: req.params.project, state: req.query.state }));
      return page(list.slice(offset, offset + req.query.limit + 1).map(approvalEntry), offset, req.query.limit);
    },
  );

  app.get(
    '/projects/:project/approvals/:id',
    {
      schema: {
        summary: 'One approval with the preview of every variant (what the approvers sign off)',
        security: bearer,
        params: ApprovalParams,
        response: { 200: ApprovalWithVariants, ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const one = (await listApprovals(db, { project: req.params.project })).find((a) => a.id === req.params.id);
      if (!one)
        throw new NotFoundError(`approval ${req.params.id} in project ${req.params.project}`, `list them: GET /projects/${req.params.project}/approvals`);
      return approvalEntryWithVariants(one);
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/projects/:project/approvals/:id/${decision}`,
      {
        schema: {
          summary:
            decision === 'approve'
              ? 'Approve: held messages go out now (within approval.catchUp), the others at their time'
              : 'Request changes (a note is required): the messages stay held until the content changes; the project manager is told',
          description:
            "Records the token's decision (as `herald approve|reject`), as the token itself or, with onBehalfOf, as one of the comm's" +
            ' approvers; both are in the audit log. With round (from GET), content changed since is refused (409 APPROVAL_STALE).' +
            ' A decided approval changes no more (changed: false).',
          security: bearer,
          headers: IdemHeader,
          params: ApprovalParams,
          body: z
            .object({
              note: z
                .string()
                .max(APPROVAL_NOTE_MAX)
                .optional()
                .describe(decision === 'reject' ? 'required: what should change' : 'optional, kept with the vote'),
              onBehalfOf: z.string().min(1).optional().describe("an approver's person key: the vote is theirs, recorded as made by this token"),
              round: z.number().int().min(1).optional().describe('the round the decision is about (from GET); refused if the content changed since'),
            })
            .nullish()
            .describe(decision === 'reject' ? '{ "note": "…" }' : 'optional; the body may be left out'),
          response: { 200: Decided, ...errors, 409: ApiErrorSchema, 422: ApiErrorSchema },
        },
      },
      async (req, reply) => {
        authorize(req, 'editor', req.params.project);
        return idempotent(idempotency, clock, req, reply, async () => {
          const r = await decideApproval(
            { stores: db.stores, clock },
            {
              approvalId: req.params.id,
              decision,
              note: req.body?.note,
              onBehalfOf: req.body?.onBehalfOf,
              actor: apiActor(req),
              via: 'api',
              project: req.params.project,
              ...(req.body?.round === undefined ? {} : { round: req.body.round }),
            },
          );
          return { status: 200, body: r };
        });
      },
    );
  }
}
