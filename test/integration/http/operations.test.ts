import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_QUEUES } from '../../../jobs/catalogue.ts';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { staticAdminToken } from '../../../src/http/admin-queues.ts';
import { startHttpServer, type RunningServer } from '../../../src/main/http.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TestClock, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

/** One sample of a metric (`name{labels} value`), or undefined when the line is absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

const ADMIN = 'admin-token-0123456789abcdef';

/** The example plan sent through a worker with its metrics listener, then read back from both /metrics. */
describe('operations: metrics of a real delivery run, bull-board for admins', () => {
  let db: TestDatabase;
  let h: Harness;
  let srv: RunningServer;
  let workerMetrics: string;
  const clock = new TestClock();

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 20 });
    const loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2026-11-20T12:00:00Z') });
    h = await startHarness(db, { clock, slack: { users: sandboxUsersFor(loaded.plan) }, env: { WORKER_METRICS_PORT: '0' } });
    clock.set(new Date('2027-03-01T12:00:00Z'));
    const w = await h.startWorker();
    await waitForQuiet(db, 60_000);
    workerMetrics = await (await fetch(`http://127.0.0.1:${w.metrics!.port}/metrics`)).text();
    srv = await startHttpServer(
      { db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, redisPrefix: h.prefix, isAdminToken: staticAdminToken(ADMIN) },
      0,
      '127.0.0.1',
    );
  }, 90_000);
  afterAll(async () => {
    await srv?.close();
    await h?.close();
    await db?.drop();
  });

  it('the worker serves send latency and lateness histograms and send counts', async () => {
    const sentEmail = await db.prisma.message.count({ where: { channel: 'email', status: 'sent' } });
    const sentSlack = await db.prisma.message.count({ where: { channel: 'slack', status: 'sent' } });
    expect(sample(workerMetrics, 'herald_send_duration_seconds_count', 'channel="email"')).toBe(sentEmail);
    expect(sample(workerMetrics, 'herald_send_lateness_seconds_count', 'channel="slack"')).toBe(sentSlack);
    expect(sample(workerMetrics, 'herald_sends_total', 'channel="email",outcome="sent"')).toBe(sentEmail);
    // The clock jumped months past the plan's due times, so most sends land in the last (+Inf)
    // lateness bucket; rows made at send time (reminders re-timed behind their survey, fallbacks) are not late.
    expect(sample(workerMetrics, 'herald_send_lateness_seconds_bucket', 'le="+Inf",channel="email"')).toBe(sentEmail);
    expect(sample(workerMetrics, 'herald_send_lateness_seconds_bucket', 'le="14400",channel="email"')).toBeLessThan(sentEmail / 2);
  });

  it('the server reports messages by status and channel, queue jobs, responses, inbound mail and escalations', async () => {
    const queue = new Queue(DELIVERY_QUEUES.email, { connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }), prefix: h.prefix });
    await queue.add('deliver', { messageId: randomUUID() }, { delay: 3600_000, jobId: randomUUID() });
    await queue.close();
    await db.prisma.inboundMail.create({
      data: { dedupeKey: `<${randomUUID()}@test>`, via: 'smtp', kind: 'reply', outcome: 'unmatched', raw: Buffer.from('x'), size: 1 },
    });
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    const sentEmail = await db.prisma.message.count({ where: { channel: 'email', status: 'sent' } });
    expect(sample(text, 'herald_messages', 'status="sent",channel="email"')).toBe(sentEmail);
    expect(sample(text, 'herald_queue_jobs', 'queue="deliver-email",state="delayed"')).toBe(1);
    expect(sample(text, 'herald_queue_jobs', 'queue="deliver-slack",state="waiting"')).toBe(0);
    expect(sample(text, 'herald_inbound_mail', 'kind="reply",outcome="unmatched"')).toBe(1);
    expect(text).toContain('# TYPE herald_responses gauge');
    // The Escalation table is not in this schema yet: the gauge is declared and empty, the scrape still works.
    expect(text).toContain('# TYPE herald_escalations_open gauge');
  });

  it('bull-board at /admin/queues: 401 without a token, 403 with a wrong one, the dashboard with an admin token', async () => {
    expect((await fetch(`${srv.url}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${srv.url}/admin/queues`, { headers: { authorization: 'Bearer not-the-admin-token' } })).status).toBe(403);
    const page = await fetch(`${srv.url}/admin/queues`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    // The page's own requests carry the cookie it set.
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const api = await fetch(`${srv.url}/admin/queues/api/queues`, { headers: { cookie } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['deliver-email', 'deliver-slack']);
    expect((await fetch(`${srv.url}/admin/queues/api/queues`, { headers: { cookie: 'herald_admin=wrong' } })).status).toBe(403);
  });
});
