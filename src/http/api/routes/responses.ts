import { z } from 'zod';
import { listResponses } from '../../../app/list-responses.ts';
import { authorize } from '../api-auth.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { bearer, errors, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

const ResponseEntry = z
  .object({
    comm: z.string(),
    occurrence: z.number(),
    person: z.string(),
    channel: z.string(),
    option: z.string().nullable(),
    comment: z.string().nullable(),
    answeredAt: z.string(),
    firstAnsweredAt: z.string().describe('when the first answer arrived (answeredAt moves with each change)'),
    history: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), comment: z.string().nullable(), channel: z.string(), at: z.string() })),
    fromOtherAddress: z.boolean(),
  })
  .meta({ id: 'ResponseEntry' });
const ResponseSummary = z
  .object({
    comm: z.string(),
    question: z.string(),
    counts: z.array(z.object({ option: z.string(), label: z.string(), count: z.number() })),
    rates: z.array(z.object({ audience: z.string(), asked: z.number(), answered: z.number() })),
    comments: z.array(z.object({ person: z.string(), option: z.string().nullable(), comment: z.string() })),
  })
  .meta({ id: 'ResponseSummary' });

export function responseRoutes(app: ApiScope, { db }: ApiDeps): void {
  app.get(
    '/projects/:project/responses',
    {
      schema: {
        summary: 'Survey answers, as `herald responses --format json` gives them',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery.extend({ comm: z.string().optional().describe('a survey comm key') }),
        response: { 200: pageOf(ResponseEntry), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const offset = decodeCursor(req.query.cursor);
      const r = await listResponses(db, { project: req.params.project, comm: req.query.comm || undefined });
      return page(r.entries.slice(offset, offset + req.query.limit + 1), offset, req.query.limit);
    },
  );

  app.get(
    '/projects/:project/responses/summary',
    {
      schema: {
        summary: 'Per survey comm: counts per option, response rate per audience, comments',
        security: bearer,
        params: ProjectParam,
        querystring: z.object({ comm: z.string().optional() }),
        response: { 200: z.object({ summaries: z.array(ResponseSummary) }), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const r = await listResponses(db, { project: req.params.project, comm: req.query.comm || undefined });
      return { summaries: r.summaries };
    },
  );
}
