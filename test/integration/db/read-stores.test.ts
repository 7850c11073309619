/**
 * The stores the HTTP server, the metrics and the sweeper read through (src/db/repo/*-reads.ts,
 * idempotency-store.ts, escalation-due.ts), against PostgreSQL. The pages and handlers that use
 * them are covered by the dashboard, API, Slack and operations tests; these pin the shapes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { createDashboardReads } from '../../../src/db/repo/dashboard-reads.ts';
import { probeDatabase } from '../../../src/db/repo/database-probe.ts';
import { anyEscalationDue } from '../../../src/db/repo/escalation-due.ts';
import { createEscalationReads } from '../../../src/db/repo/escalation-reads.ts';
import { createIdempotencyStore } from '../../../src/db/repo/idempotency-store.ts';
import { createInboxReads } from '../../../src/db/repo/inbox-reads.ts';
import { createMetricsReads } from '../../../src/db/repo/metrics-reads.ts';
import { createSlackReads } from '../../../src/db/repo/slack-reads.ts';
import { createTestDatabase } from '../../support/databases.ts';

describe('read stores on PostgreSQL', () => {
  let db: Database & { drop?: () => Promise<void> };
  let projectId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const p = await db.prisma.project.create({
      data: {
        key: 'stores',
        name: 'Stores',
        timezone: 'Europe/Paris',
        plan: { project: { key: 'stores', name: 'Stores', timezone: 'Europe/Paris' }, milestones: [], workstreams: [], audiences: [], people: [], comms: [] },
        planHash: 'abc',
        warnings: [{ file: 'plan.yaml', line: 3, path: 'comms', message: 'a warning' }],
        milestones: {
          create: [
            { key: 'cutover', label: 'Cutover', at: new Date('2026-03-14T21:00:00Z'), localAt: '2026-03-14T22:00' },
            { key: 'kickoff', at: new Date('2026-03-01T09:00:00Z'), localAt: '2026-03-01T10:00' },
          ],
        },
        people: {
          create: [
            { key: 'dana', name: 'Dana', email: 'Dana@Example.com', timezone: 'America/New_York', audiences: ['execs', 'ops'] },
            { key: 'lee', name: 'Lee', slackId: 'U123', timezone: 'Asia/Kolkata', audiences: ['ops'] },
          ],
        },
        audiences: { create: [{ key: 'ops', description: 'Operations' }, { key: 'execs' }] },
        comms: {
          create: [
            {
              key: 'prep',
              kind: 'ops-impact',
              template: 'prep',
              audiences: ['ops'],
              channels: ['email'],
              spec: { key: 'prep', kind: 'ops-impact', audiences: ['ops'], channels: ['email'], survey: { question: 'Ready?', options: [] } },
            },
          ],
        },
      },
    });
    projectId = p.id;
  });
  afterAll(async () => {
    await (db.drop ? db.drop() : db.close());
  });

  it('dashboard reads: project, listing, milestones, applied plan, names', async () => {
    const r = createDashboardReads(db);
    expect(await r.projectByKey('stores')).toEqual({ id: projectId, key: 'stores', name: 'Stores', timezone: 'Europe/Paris' });
    expect(await r.projectByKey('nope')).toBeNull();
    expect(await r.projects('stores')).toEqual([{ key: 'stores', name: 'Stores', timezone: 'Europe/Paris', people: 2, comms: 1 }]);
    expect(await r.projects('nope')).toEqual([]);
    expect((await r.plan(projectId)).project.key).toBe('stores');
    const ms = await r.milestones(projectId);
    expect(ms.map((m) => [m.key, m.moves, m.baseline.toISOString()])).toEqual([
      ['kickoff', 0, '2026-03-01T09:00:00.000Z'],
      ['cutover', 0, '2026-03-14T21:00:00.000Z'],
    ]);
    // undefined: no such milestone; null: a milestone without a label (the page falls back to its key either way).
    expect(await r.milestoneLabel(projectId, 'cutover')).toBe('Cutover');
    expect(await r.milestoneLabel(projectId, 'kickoff')).toBeNull();
    expect(await r.milestoneLabel(projectId, 'nope')).toBeUndefined();
    const applied = await r.appliedPlan(projectId);
    expect(applied.warnings).toEqual([{ file: 'plan.yaml', line: 3, path: 'comms', message: 'a warning' }]);
    expect(applied.audiences).toEqual([
      { key: 'execs', description: null, people: 1 },
      { key: 'ops', description: 'Operations', people: 2 },
    ]);
    expect(applied.comms.map((c) => c.key)).toEqual(['prep']);
    expect([...(await r.personNames(projectId, ['dana', 'ghost'])).entries()]).toEqual([['dana', 'Dana']]);
    expect(await r.failedMessages(projectId)).toBe(0);
    expect(await r.sentOfComms(projectId, ['prep'])).toBe(0);
    expect(await r.occurrencesOf(projectId, 'prep', 'dana')).toEqual([]);
    expect(await r.messageByKey(projectId, 'nope')).toBeNull();
  });

  it('inbox reads: people up to a limit, a person by key, the likely sender of a mail', async () => {
    const r = createInboxReads(db);
    expect((await r.peopleUpTo(projectId, 2)).map((p) => p.key)).toEqual(['dana', 'lee']);
    expect(await r.peopleUpTo(projectId, 1)).toEqual([]);
    const dana = await r.personByKey(projectId, 'dana');
    expect(dana?.name).toBe('Dana');
    expect(await r.sentComms(projectId, dana!.id, 10)).toEqual([]);
    const mail = await db.prisma.inboundMail.create({
      data: {
        dedupeKey: randomUUID(),
        via: 'smtp',
        fromAddress: 'dana@example.com',
        subject: 'Re: prep',
        kind: 'reply',
        outcome: 'unmatched',
        raw: Buffer.from('x'),
        size: 1,
        projectId,
      },
    });
    expect(await r.likelySender(projectId, mail.id)).toBe('dana');
    expect(await r.mail(mail.id)).toEqual({ subject: 'Re: prep', reason: null, outcome: 'unmatched', projectId });
    expect(await r.likelySender(projectId, randomUUID())).toBeUndefined();
  });

  it('idempotency store: finds, replaces, and drops answers older than the cut-off', async () => {
    const s = createIdempotencyStore(db);
    const id = { tokenId: randomUUID(), route: 'POST /api/v1/plans', key: 'k1' };
    expect(await s.find(id)).toBeNull();
    const at = new Date('2026-01-01T00:00:00Z');
    await s.save(id, { request: 'h1', status: 201, body: { ok: 1 }, createdAt: at }, new Date(0));
    expect(await s.find(id)).toEqual({ request: 'h1', status: 201, body: { ok: 1 }, createdAt: at });
    await s.save(id, { request: 'h2', status: 200, body: [1], createdAt: at }, new Date(0));
    expect((await s.find(id))?.request).toBe('h2');
    const other = { ...id, key: 'k2' };
    await s.save(other, { request: 'h3', status: 200, body: null, createdAt: new Date('2026-01-03T00:00:00Z') }, new Date('2026-01-02T00:00:00Z'));
    expect(await s.find(id)).toBeNull();
    expect((await s.find(other))?.request).toBe('h3');
  });

  it('metrics, Slack and escalation reads, the escalation due check and the readiness probe', async () => {
    const m = createMetricsReads(db);
    expect(await m.messagesByStatusAndChannel()).toEqual([]);
    expect(await m.openEscalationsByStateAndLevel()).toEqual([]);
    expect((await m.inboundMailByKindAndOutcome()).find((r) => r.kind === 'reply' && r.outcome === 'unmatched')?.n).toBeGreaterThanOrEqual(1);
    const slack = createSlackReads(db);
    expect(await slack.messageProvider(randomUUID())).toBeUndefined();
    expect(await slack.escalationActor(randomUUID(), 'U123')).toBeNull();
    expect(await createEscalationReads(db).notice(randomUUID())).toBeNull();
    expect(await anyEscalationDue(db.sql, new Date())).toBe(false);
    await expect(probeDatabase(db)).resolves.toBeUndefined();
  });
});
