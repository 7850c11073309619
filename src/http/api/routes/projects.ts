import { z } from 'zod';
import { authorize } from '../api-auth.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { bearer, errors, type ApiDeps, type ApiScope } from './common.ts';

const Project = z.object({ key: z.string(), name: z.string(), timezone: z.string(), updatedAt: z.string() }).meta({ id: 'Project' });

export function projectRoutes(app: ApiScope, { listProjects }: ApiDeps): void {
  app.get(
    '/projects',
    { schema: { summary: 'Projects the token can see', security: bearer, querystring: PageQuery, response: { 200: pageOf(Project), ...errors } } },
    async (req) => {
      const t = authorize(req, 'viewer');
      const offset = decodeCursor(req.query.cursor);
      const rows = await listProjects({ onlyKey: t.projectKey, skip: offset, take: req.query.limit + 1 });
      return page(
        rows.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })),
        offset,
        req.query.limit,
      );
    },
  );
}
