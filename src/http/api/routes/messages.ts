import { z } from 'zod';
import { MESSAGE_STATUSES } from '../../../domain/message-status.ts';
import { listMessages, retryMessages } from '../../../app/message-log.ts';
import { apiActor, authorize } from '../api-auth.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { idempotent } from '../idempotency.ts';
import { bearer, errors, IdemHeader, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

const Message = z
  .object({
    id: z.string(),
    key: z.string(),
    comm: z.string(),
    person: z.string(),
    channel: z.string(),
    dueAt: z.string(),
    status: z.string(),
    attempts: z.number(),
    sentAt: z.string().optional(),
    lastError: z.string().optional(),
    deliveries: z.array(z.object({ at: z.string(), outcome: z.string(), channel: z.string() }).loose()),
  })
  .meta({ id: 'Message' });
const MessageStatus = z.enum(MESSAGE_STATUSES);

export function messageRoutes(app: ApiScope, { db, idempotency, clock }: ApiDeps): void {
  app.get(
    '/projects/:project/messages',
    {
      schema: {
        summary: 'The delivery log: messages with every attempt',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery.extend({ status: MessageStatus.optional(), person: z.string().optional(), comm: z.string().optional() }),
        response: { 200: pageOf(Message), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const q = req.query;
      const offset = decodeCursor(q.cursor);
      const rows = await listMessages(db, {
        project: req.params.project,
        status: q.status || undefined,
        person: q.person || undefined,
        comm: q.comm || undefined,
        limit: offset + q.limit + 1,
      });
      return page(rows.slice(offset), offset, q.limit);
    },
  );

  app.post(
    '/projects/:project/messages/retry',
    {
      schema: {
        summary: 'Put failed messages (all, or the listed ids) back in the calendar, due now',
        security: bearer,
        headers: IdemHeader,
        params: ProjectParam,
        body: z.object({ ids: z.array(z.uuid()).optional() }).default({}),
        response: { 200: z.object({ retried: z.number() }), ...errors },
      },
    },
    async (req, reply) => {
      authorize(req, 'editor', req.params.project);
      return idempotent(idempotency, clock, req, reply, async () => ({
        status: 200,
        body: { retried: await retryMessages(db, { project: req.params.project, messageIds: req.body.ids, now: clock.now(), actor: apiActor(req) }) },
      }));
    },
  );
}
