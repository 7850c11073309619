import { z } from 'zod';
import { markMilestoneDone, moveMilestone } from '../../../app/move-milestone.ts';
import { apiActor, authorize } from '../api-auth.ts';
import { idempotent } from '../idempotency.ts';
import { bearer, dropQueued, errors, IdemHeader, ProjectParam, Summary, type ApiDeps, type ApiScope } from './common.ts';

const MilestoneParams = ProjectParam.extend({ milestone: z.string().min(1) });

export function milestoneRoutes(app: ApiScope, deps: ApiDeps): void {
  const { db, clock } = deps;
  app.post(
    '/projects/:project/milestones/:milestone/move',
    {
      schema: {
        summary: 'Move a milestone; every message tied to it moves too',
        security: bearer,
        headers: IdemHeader,
        params: MilestoneParams,
        body: z.object({
          when: z.string().min(1).max(40).describe('YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm, project time zone'),
          dryRun: z.boolean().default(false),
        }),
        response: {
          200: z.object({
            milestone: z.string(),
            from: z.string(),
            to: z.string(),
            dryRun: z.boolean(),
            calendar: Summary,
            triggered: z.number(),
            warnings: z.array(z.string()).describe('milestones whose order with this one the move changes, in words'),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      authorize(req, 'editor', req.params.project);
      return idempotent(deps.idempotency, clock, req, reply, async () => {
        const r = await moveMilestone(db, {
          project: req.params.project,
          milestone: req.params.milestone,
          when: req.body.when,
          now: clock.now(),
          source: 'api',
          dryRun: req.body.dryRun,
          actor: apiActor(req),
        });
        if (!req.body.dryRun) await dropQueued(deps, r.queuedChanged);
        return {
          status: 200,
          body: {
            milestone: r.milestone,
            from: r.from.toISOString(),
            to: r.to.toISOString(),
            dryRun: req.body.dryRun,
            calendar: r.calendar as unknown as Record<string, unknown>,
            triggered: r.triggered,
            warnings: r.warnings,
          },
        };
      });
    },
  );

  app.post(
    '/projects/:project/milestones/:milestone/done',
    {
      schema: {
        summary: 'Mark a milestone done and send its milestone-done comms',
        security: bearer,
        headers: IdemHeader,
        params: MilestoneParams,
        response: { 200: z.object({ alreadyDone: z.boolean(), triggered: z.number() }), ...errors },
      },
    },
    async (req, reply) => {
      authorize(req, 'editor', req.params.project);
      return idempotent(deps.idempotency, clock, req, reply, async () => ({
        status: 200,
        body: await markMilestoneDone(db, { project: req.params.project, milestone: req.params.milestone, now: clock.now(), actor: apiActor(req) }),
      }));
    },
  );
}
