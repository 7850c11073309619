/** POST /projects/:p/rollback: a stored plan version applied again, as `herald apply PROJECT --rollback-to N`. */
import { z } from 'zod';
import { rollbackPlan } from '../../../app/plan-history.ts';
import { apiActor, authorize } from '../api-auth.ts';
import { idempotent } from '../idempotency.ts';
import { applyAnswer, ApplyAnswer } from './apply-answer.ts';
import { bearer, dropQueued, errors, IdemHeader, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';
import { VERSION_MAX } from './versions.ts';

export function rollbackRoutes(app: ApiScope, deps: ApiDeps): void {
  const { db, clock } = deps;
  app.post(
    '/projects/:project/rollback',
    {
      schema: {
        summary: 'Apply a stored plan version again, as a new version, as `herald apply PROJECT --rollback-to N`',
        description:
          'Nothing sent is sent again; pending messages move or are cancelled as that version says, and their queued jobs are' +
          ' dropped. A version that no longer validates answers 400 PLAN_INVALID and nothing changes. The new version' +
          " records the token's name as who applied it.",
        security: bearer,
        headers: IdemHeader,
        params: ProjectParam,
        body: z.object({ to: z.number().int().min(1).max(VERSION_MAX).describe('the version to apply again'), dryRun: z.boolean().default(false) }),
        response: {
          200: ApplyAnswer.extend({
            version: z.number().nullable().describe('the version stored (the latest when its texts are already the current plan); null for a dry run'),
            rollbackOf: z.number(),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      authorize(req, 'editor', req.params.project);
      const engine = deps.templates;
      return idempotent(deps.idempotency, clock, req, reply, async () => {
        const r = await rollbackPlan(db, {
          project: req.params.project,
          to: req.body.to,
          now: clock.now(),
          actor: apiActor(req),
          dryRun: req.body.dryRun,
          check: { checkTemplate: engine ? (comm, plan) => engine.check(comm, plan) : undefined },
        });
        if (!r.dryRun) await dropQueued(deps, r.queuedChanged);
        return { status: 200, body: { ...applyAnswer(r, r.loaded.warnings), version: r.version, rollbackOf: req.body.to } };
      });
    },
  );
}
