/**
 * Forged and replayed Slack signatures, missing Slack headers, and wrong-role API calls: every
 * mutating operation of the OpenAPI document refuses a viewer (403), a feed token (403) and no
 * token (401), before it validates or changes anything.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { interactionBody, slackSignatureHeaders } from '../../src/sandbox/slack-payloads.ts';
import { NO_RATE_LIMITS, SIGNING_SECRET, type Target, useTarget } from './harness.ts';

const target = useTarget(NO_RATE_LIMITS);
let t: Target;
beforeAll(() => {
  t = target();
});

describe('Slack events: the signature is enforced', () => {
  const body = interactionBody({ type: 'block_actions', user: { id: 'UANA00001' }, actions: [] });
  const post = (headers: Record<string, string>, payload = body) =>
    fetch(`${t.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: payload });
  const now = () => Math.floor(t.clock.now().getTime() / 1000);

  it('a correctly signed request is accepted (the control)', async () => {
    expect((await post(slackSignatureHeaders(SIGNING_SECRET, body, now()))).status).toBe(200);
  });

  it.each([
    ['no signature headers', () => ({})],
    ['a signature made with another secret', () => slackSignatureHeaders('not-the-signing-secret', body, now())],
    ['a replay 6 minutes old', () => slackSignatureHeaders(SIGNING_SECRET, body, now() - 360)],
    ['a timestamp from the future', () => slackSignatureHeaders(SIGNING_SECRET, body, now() + 360)],
    [
      'a signature without the v0= prefix',
      () => ({
        ...slackSignatureHeaders(SIGNING_SECRET, body, now()),
        'x-slack-signature': slackSignatureHeaders(SIGNING_SECRET, body, now())['x-slack-signature']!.slice(3),
      }),
    ],
    ['a non-numeric timestamp', () => ({ ...slackSignatureHeaders(SIGNING_SECRET, body, now()), 'x-slack-request-timestamp': 'soon' })],
  ])('%s: 401', async (_what, headers) => {
    expect((await post(headers())).status).toBe(401);
  });

  it('a signed body changed after signing: 401', async () => {
    const headers = slackSignatureHeaders(SIGNING_SECRET, body, now());
    expect((await post(headers, `${body}&x=1`)).status).toBe(401);
  });
});

describe('API: every mutating operation refuses the wrong role', () => {
  it('401 without a token, 403 for viewer and feed tokens, on each POST in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const posts = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== 'get')
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
    expect(posts.length).toBeGreaterThan(4);
    for (const op of posts) {
      const url = `${t.url}/api/v1${op.path.replace('{project}', 'northwind-m365').replace('{milestone}', 'pilot').replace('{id}', '00000000-0000-4000-8000-000000000000')}`;
      const send = (token?: string) =>
        fetch(url, {
          method: op.method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ when: '2027-01-06', dryRun: true }),
        });
      expect((await send()).status, `${op.method} ${op.path} without a token`).toBe(401);
      for (const who of ['viewer', 'feed'] as const) {
        const r = await send(t.tokens[who]);
        expect(r.status, `${op.method} ${op.path} as ${who}`).toBe(403);
        expect(((await r.json()) as { code: string }).code).toBe('FORBIDDEN_ROLE');
      }
    }
  });
});
