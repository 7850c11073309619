import type { FastifyInstance, FastifyReply } from 'fastify';
import { authenticateApiToken } from '../app/api-tokens.ts';
import { calendarFeed } from '../app/calendar-feed.ts';
import type { Clock } from '../app/ports.ts';
import type { StoreDeps } from '../app/ports.ts';

/**
 * `/calendar/:project.ics` and `/calendar/:project/:person.ics`. Calendar apps cannot send a
 * bearer header, so the token is the `token` query parameter, and a feed address ends up in
 * calendar apps, sync logs and shared calendars. So only a feed token (`herald token create
 * --role feed`) opens a feed: one made for a project opens that project's feed only; one made for
 * a person, only theirs. A viewer, editor or admin token is refused here (it would open the API
 * to whoever sees the address), with a hint to make a feed token and to revoke the exposed one.
 */
export function registerCalendarFeeds(app: FastifyInstance, deps: { db: StoreDeps; clock: Clock }): void {
  const serve = async (reply: FastifyReply, token: unknown, project: string, person?: string): Promise<FastifyReply> => {
    // `?token=a&token=b` arrives as an array (the page fuzzer found it answering 500): one token only.
    if (token !== undefined && typeof token !== 'string')
      return reply.status(400).send({ code: 'BAD_QUERY', message: 'give the token once: ?token=<a feed token>', details: null });
    const t = token ? await authenticateApiToken(deps.db, token, deps.clock.now()) : null;
    if (!t)
      return reply.status(401).send({
        code: 'UNAUTHENTICATED',
        message: 'add ?token=<a feed token> to the feed address',
        details: { hint: `create one with: herald token create --role feed --project ${project}${person ? ` --person ${person}` : ''}` },
      });
    if (t.role !== 'feed') {
      return reply.status(403).send({
        code: 'FEED_TOKEN_REQUIRED',
        message: `"${t.name}" is a ${t.role} token; a feed address takes only a feed token, because the address is stored and shared by calendar apps`,
        details: {
          hint:
            `create one with: herald token create --role feed --project ${project}` +
            `${person ? ` --person ${person}` : ''}; then consider revoking "${t.name}" (herald token revoke ` +
            `${t.name}), as it was sent in a URL`,
        },
      });
    }
    if (t.projectKey !== null && t.projectKey !== project) {
      return reply.status(403).send({ code: 'FORBIDDEN_PROJECT', message: `token "${t.name}" is limited to project ${t.projectKey}`, details: null });
    }
    if (t.role === 'feed' && (t.personKey ?? undefined) !== person) {
      const allowed = t.personKey ? `/calendar/${t.projectKey}/${t.personKey}.ics` : `/calendar/${t.projectKey}.ics`;
      return reply.status(403).send({ code: 'FORBIDDEN_FEED', message: `feed token "${t.name}" opens ${allowed} only`, details: { allowed } });
    }
    const text = await calendarFeed(deps.db, person ? { project, person } : { project });
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(text);
  };
  app.get<{ Params: { project: string }; Querystring: { token?: unknown } }>('/calendar/:project.ics', async (req, reply) =>
    serve(reply, req.query.token, req.params.project),
  );
  app.get<{ Params: { project: string; person: string }; Querystring: { token?: unknown } }>('/calendar/:project/:person.ics', async (req, reply) =>
    serve(reply, req.query.token, req.params.project, req.params.person),
  );
}
