/**
 * `POST /inbound/email` — raw MIME from a mail provider's inbound webhook (Mailgun "store and
 * forward" MIME, SendGrid Inbound Parse "raw", Postmark, AWS SES via SNS, a Postfix pipe with
 * curl). The body is the message exactly as received; the shared secret INBOUND_WEBHOOK_SECRET
 * comes as `Authorization: Bearer <secret>` or as the password of HTTP Basic auth (for
 * providers that only let you put credentials in the URL). The mail is stored before the
 * answer: 200 means kept, and a 5xx makes the provider retry, so nothing is lost.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InboundResult } from '../app/receive-inbound-mail.ts';
import { errorBody } from './error-status.ts';

export interface InboundHttp {
  secret: string;
  receive(raw: Buffer): Promise<InboundResult>;
  /** Largest mail accepted, in bytes (default 25 MiB, a common provider limit). */
  maxBytes?: number;
}

const RAW_TYPES = ['message/rfc822', 'application/octet-stream', 'text/plain', 'application/mime'];

function presented(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (!auth) return undefined;
  const [scheme, value = ''] = auth.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerInboundEmail(app: FastifyInstance, deps: InboundHttp): void {
  const bodyLimit = deps.maxBytes ?? 25 * 1024 * 1024;
  for (const type of RAW_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
  }
  // The secret is checked in onRequest, before a byte of the body is read: a caller without it
  // cannot make the server buffer 25 MiB. The connection is closed after the 401, so the rest of
  // the body is not drained either.
  const onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const secret = presented(request);
    if (secret === undefined || !same(secret, deps.secret)) {
      await reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="herald-inbound"')
        .header('connection', 'close')
        .send(errorBody('UNAUTHENTICATED', 'send the INBOUND_WEBHOOK_SECRET as "Authorization: Bearer <secret>" or as the Basic-auth password'));
    }
  };
  app.post('/inbound/email', { bodyLimit, onRequest }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
      return reply.status(400).send(errorBody('NO_MAIL', `send the raw MIME message as the request body with Content-Type ${RAW_TYPES[0]}`));
    }
    const result = await deps.receive(request.body);
    return reply.status(200).send({ id: result.id, kind: result.kind, outcome: result.outcome, reason: result.reason, duplicate: result.duplicate });
  });
}
