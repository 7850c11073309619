import { z } from 'zod';
import { applyPlan } from '../../../app/apply-plan.ts';
import { loadPlanText } from '../../../app/load-plan.ts';
import { apiActor, authorize } from '../api-auth.ts';
import { idempotent } from '../idempotency.ts';
import { queryBool } from '../query-bool.ts';
import { applyAnswer, ApplyAnswer } from './apply-answer.ts';
import { bearer, dropQueued, errors, IdemHeader, type ApiDeps, type ApiScope } from './common.ts';

export function planRoutes(app: ApiScope, deps: ApiDeps): void {
  const { db, clock } = deps;
  app.post(
    '/plans',
    {
      schema: {
        summary: 'Validate and apply a plan (the YAML file as the body)',
        description:
          'The same validation as `herald validate`; an invalid plan answers 400 with details.issues (file, line, path,' +
          ' message). People CSVs cannot be referenced: list people inline.',
        security: bearer,
        headers: IdemHeader,
        querystring: z.object({ dryRun: queryBool('validate and compute the calendar change without storing anything') }),
        body: z.string().min(1).describe('the plan YAML (Content-Type: application/yaml)'),
        response: { 200: ApplyAnswer, ...errors },
      },
    },
    async (req, reply) => {
      authorize(req, 'editor');
      const engine = deps.templates;
      const loaded = loadPlanText(req.body, { checkTemplate: engine ? (comm, plan) => engine.check(comm, plan) : undefined });
      authorize(req, 'editor', loaded.plan.project.key);
      return idempotent(deps.idempotency, clock, req, reply, async () => {
        const r = await applyPlan(db, {
          plan: loaded.plan,
          hash: loaded.hash,
          warnings: loaded.warnings,
          now: clock.now(),
          dryRun: req.query.dryRun,
          actor: apiActor(req),
          source: loaded.source,
        });
        if (!r.dryRun) await dropQueued(deps, r.queuedChanged);
        return { status: 200, body: applyAnswer(r, loaded.warnings) };
      });
    },
  );
}
