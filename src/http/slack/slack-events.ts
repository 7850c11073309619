/**
 * `POST /slack/events`: Slack's Request URL for interactivity (and events). The signature is
 * checked with Bolt's own verifier against SLACK_SIGNING_SECRET and the injected clock: a bad
 * signature, or a timestamp more than 5 minutes off, is 401. Deliveries Slack retries
 * (`X-Slack-Retry-Num`) after a first delivery that was handled are answered 200 without running
 * again; and the record-response use case would record a repeated click once anyway.
 */
import { createHash } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../app/ports.ts';
import type { Logger } from '../../logger.ts';
import type { FastifySlackReceiver } from './fastify-receiver.ts';
import type { Scratch } from './interactions.ts';
import { errorBody } from '../error-status.ts';

export interface SlackHttp {
  signingSecret: string;
  receiver: FastifySlackReceiver;
  clock: Clock;
  scratch: Scratch;
  log?: Logger | undefined;
}

/** Slack answers 3 s after sending; the route gives up a little earlier so Slack sees our 503, not its own timeout. */
const SLACK_HANDLER_TIMEOUT_MS = 2_800;
const SEEN_TTL_S = 3600;
/** How far a request's timestamp may be from now, either way (Slack's own rule). */
const MAX_SKEW_S = 300;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Interactivity arrives as `payload=<json>`; slash commands as plain form fields; events as JSON. */
export function parseSlackBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  return payload === null ? Object.fromEntries(form) : (JSON.parse(payload) as Record<string, unknown>);
}

export function registerSlackEvents(app: FastifyInstance, slack: SlackHttp): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post('/slack/events', { handlerTimeout: SLACK_HANDLER_TIMEOUT_MS }, async (request, reply) => {
    const raw = typeof request.body === 'string' ? request.body : '';
    const signature = header(request.headers, 'x-slack-signature');
    const timestamp = Number(header(request.headers, 'x-slack-request-timestamp'));
    // Bolt refuses a timestamp more than 5 minutes old, not one as far in the future; Slack's rule is either way.
    if (!Number.isFinite(timestamp) || Math.abs(slack.clock.now().getTime() / 1000 - timestamp) > MAX_SKEW_S) {
      return reply
        .status(401)
        .send(errorBody('INVALID_SIGNATURE', 'the request is not signed by Slack: its X-Slack-Request-Timestamp is missing or more than 5 minutes from now'));
    }
    try {
      verifySlackRequest({
        signingSecret: slack.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature ?? '', 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: slack.clock.now().getTime(),
      });
    } catch (err) {
      return reply.status(401).send(errorBody('INVALID_SIGNATURE', `the request is not signed by Slack: ${(err as Error).message}`));
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw, request.headers['content-type'] ?? '');
    } catch {
      return reply.status(400).send(errorBody('BAD_PAYLOAD', 'the Slack payload is not valid JSON'));
    }
    if (body.type === 'url_verification' && typeof body.challenge === 'string') return reply.send({ challenge: body.challenge });
    if (body.ssl_check !== undefined) return reply.send('');

    const retryNum = header(request.headers, 'x-slack-retry-num');
    const seenKey = `slack:seen:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
    if (retryNum !== undefined && (await slack.scratch.get(seenKey)) !== null) return reply.send('');

    const retryReason = header(request.headers, 'x-slack-retry-reason');
    const { ack, done } = slack.receiver.dispatch(body, {
      ...(retryNum === undefined ? {} : { num: Number(retryNum) }),
      ...(retryReason === undefined ? {} : { reason: retryReason }),
    });
    done
      .then(
        () => slack.scratch.set(seenKey, '1', SEEN_TTL_S),
        () => {},
      )
      .catch((err: unknown) => slack.log?.warn({ err }, 'could not remember a Slack delivery'));
    const answer = await ack;
    return reply.status(answer.status).send(answer.body);
  });
}
