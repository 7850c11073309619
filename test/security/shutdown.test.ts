/**
 * Issue 15 §1.6: `herald serve` stayed up more than two minutes after SIGTERM while Slack was
 * unreachable. Here Slack's API is a blackhole (it accepts connections and never answers), a click
 * is in flight (its chat.update hangs), and the process must exit within a few seconds of SIGTERM.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../src/sandbox/slack-payloads.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../support/redis.ts';
import { seedResponses, type SeededResponses } from '../support/responses.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { startServeProcess } from '../support/serve-process.ts';
import { SIGNING } from '../support/slack-clicks.ts';

describe('herald serve exits promptly on SIGTERM with Slack unreachable', () => {
  let db: TestDatabase;
  let seed: SeededResponses;
  let blackhole: Server;
  const held: Socket[] = [];
  const prefix = testRedisPrefix();
  let connections = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    blackhole = createServer((s) => {
      connections++;
      held.push(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((r) => blackhole?.close(r));
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
    await db?.drop();
  });

  it('exits within 10 s of SIGTERM while a click waits on Slack', async () => {
    const port = (blackhole.address() as { port: number }).port;
    const srv = await startServeProcess({
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      HERALD_SECRET: TEST_SECRET,
    });
    try {
      const m = seed.message('checkin', 'ana', 'slack');
      const payload = blockActions({
        user: m.slackId!,
        message: { channel: m.providerChannel!, ts: m.providerId!, blocks: [] },
        actionId: 'herald_survey_good',
        value: JSON.stringify({ m: m.id, o: 'good' }),
      });
      const body = interactionBody(payload);
      const res = await fetch(`${srv.url}/slack/events`, {
        method: 'POST',
        headers: slackSignatureHeaders(SIGNING, body),
        body,
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      expect(res?.status ?? 0, 'the click is acknowledged').toBeLessThan(500);
      // Herald is now waiting on Slack (the blackhole holds the request).
      const deadline = Date.now() + 10_000;
      while (connections === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(connections, 'Herald called the Slack API').toBeGreaterThan(0);

      const start = Date.now();
      const exited = new Promise<number>((resolve) => srv.child.once('exit', () => resolve(Date.now() - start)));
      srv.child.kill('SIGTERM');
      const took = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(Infinity), 30_000))]);
      expect(took, `herald serve took ${took} ms to exit after SIGTERM`).toBeLessThan(10_000);
    } finally {
      if (srv.child.exitCode === null && srv.child.signalCode === null) srv.child.kill('SIGKILL');
    }
  }, 90_000);
});
