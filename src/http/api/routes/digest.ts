import { z } from 'zod';
import { previewDigest } from '../../../app/preview-digest.ts';
import { authorize } from '../api-auth.ts';
import { ApiError } from '../api-errors.ts';
import { bearer, errors, ProjectParam, Summary, type ApiDeps, type ApiScope } from './common.ts';

const Rendered = z.object({ subject: z.string(), text: z.string(), html: z.string().optional() });
const SlackRendered = z.object({
  text: z.string().describe('the notification fallback'),
  blocks: z.array(z.unknown()).describe('Block Kit blocks, as chat.postMessage takes them'),
});

export function digestRoutes(app: ApiScope, deps: ApiDeps): void {
  const { db, clock } = deps;
  app.get(
    '/projects/:project/digest',
    {
      schema: {
        summary: 'Preview the weekly digest as `herald digest --preview` (sends nothing)',
        security: bearer,
        params: ProjectParam,
        querystring: z.object({
          as: z.string().optional().describe("person id; default the digest's first recipient"),
          week: z
            .string()
            .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/)
            .optional()
            .describe('ISO week, e.g. 2027-W03; default the one that would go out now'),
          channel: z.enum(['email', 'slack']).default('email').describe('email (subject, text, html) or slack (Block Kit blocks and the notification text)'),
        }),
        response: {
          200: z.object({ comm: z.string(), person: z.string(), at: z.string(), digest: Summary, email: Rendered.optional(), slack: SlackRendered.optional() }),
          ...errors,
        },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const engine = deps.templates;
      if (!engine)
        throw new ApiError('TEMPLATES_UNAVAILABLE', 'this server has no template engine, so it cannot render a digest', { hint: 'start it with herald serve' });
      const p = await previewDigest(db, engine, {
        project: req.params.project,
        now: clock.now(),
        publicUrl: deps.publicUrl ?? 'http://localhost',
        as: req.query.as || undefined,
        week: req.query.week || undefined,
      });
      const head = { comm: p.comm, person: p.person, at: p.at.toISOString(), digest: p.digest as unknown as Record<string, unknown> };
      if (req.query.channel === 'slack') return { ...head, slack: { text: p.slack.text, blocks: p.slack.blocks ?? [] } };
      const { subject, text, html } = p.email;
      return { ...head, email: { subject, text, html } };
    },
  );
}
