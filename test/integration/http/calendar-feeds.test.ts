import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { createApiToken, revokeApiToken } from '../../../src/app/api-tokens.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { moveMilestone } from '../../../src/app/move-milestone.ts';
import { buildHttpServer } from '../../../src/main/http.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const PROJECT = 'northwind-m365';

/** RFC 5545 §3.1: CRLF line ends, no line longer than 75 octets, continuation lines start with one space. */
function expectFolded(text: string): void {
  expect(text.endsWith('\r\n')).toBe(true);
  for (const line of text.slice(0, -2).split('\r\n')) {
    expect(line.includes('\n'), 'bare LF').toBe(false);
    expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
  }
}

function events(text: string): Map<string, { sequence: number; start: string; summary: string }> {
  const comp = new ICAL.Component(ICAL.parse(text));
  const out = new Map<string, { sequence: number; start: string; summary: string }>();
  for (const v of comp.getAllSubcomponents('vevent')) {
    const e = new ICAL.Event(v);
    out.set(e.uid, { sequence: e.sequence, start: e.startDate.toJSDate().toISOString(), summary: e.summary });
  }
  return out;
}

describe('calendar feeds', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  let viewer = '';
  let feed = '';
  let other = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, closeExtras } = await buildHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL }));
    const loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2026-12-01T00:00:00Z') });
    await db.prisma.project.create({ data: { key: 'other', name: 'Other', timezone: 'UTC', plan: {}, planHash: 'x' } });
    viewer = (await createApiToken(db, { role: 'viewer', projectKey: PROJECT, name: 'feed', now: new Date() })).token;
    feed = (await createApiToken(db, { role: 'feed', projectKey: PROJECT, name: 'project-feed', now: new Date() })).token;
    other = (await createApiToken(db, { role: 'feed', projectKey: 'other', name: 'other', now: new Date() })).token;
  });
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    await db?.drop();
  });

  it('needs a feed token allowed on the project', async () => {
    expect((await app.inject({ url: `/calendar/${PROJECT}.ics` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/calendar/${PROJECT}.ics?token=hrld_x` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/calendar/${PROJECT}.ics?token=${other}` })).statusCode).toBe(403);
    // Issue 15: a viewer (or editor, admin) token in a feed URL is refused, with how to make a feed token.
    const notFeed = await app.inject({ url: `/calendar/${PROJECT}/nobody.ics?token=${viewer}` });
    expect(notFeed.statusCode).toBe(403);
    expect(notFeed.json()).toMatchObject({ code: 'FEED_TOKEN_REQUIRED', details: { hint: expect.stringContaining('herald token create --role feed') } });
  });

  it('a feed token opens only the feed it was made for, and nothing in the API', async () => {
    const person = (await db.prisma.person.findFirstOrThrow({ where: { project: { key: PROJECT } }, orderBy: { key: 'asc' }, select: { key: true } })).key;
    const another = (await db.prisma.person.findFirstOrThrow({ where: { project: { key: PROJECT }, key: { not: person } }, select: { key: true } })).key;
    const now = new Date();
    const pmFeed = (await createApiToken(db, { role: 'feed', projectKey: PROJECT, name: 'pm-feed', now })).token;
    const personFeed = (await createApiToken(db, { role: 'feed', projectKey: PROJECT, personKey: person, name: 'person-feed', now })).token;
    const status = async (url: string, headers: Record<string, string> = {}) => (await app.inject({ url, headers })).statusCode;

    expect(await status(`/calendar/${PROJECT}.ics?token=${pmFeed}`)).toBe(200);
    expect(await status(`/calendar/${PROJECT}/${person}.ics?token=${pmFeed}`)).toBe(403);
    expect(await status(`/calendar/${PROJECT}/${person}.ics?token=${personFeed}`)).toBe(200);
    const wrongPerson = await app.inject({ url: `/calendar/${PROJECT}/${another}.ics?token=${personFeed}` });
    expect(wrongPerson.statusCode).toBe(403);
    expect(wrongPerson.json()).toMatchObject({ code: 'FORBIDDEN_FEED', details: { allowed: `/calendar/${PROJECT}/${person}.ics` } });
    expect(await status(`/calendar/${PROJECT}.ics?token=${personFeed}`)).toBe(403);
    expect(await status(`/calendar/other.ics?token=${pmFeed}`)).toBe(403);
    // A viewer token opens neither (issue 15: feed URLs take only feed tokens).
    expect(await status(`/calendar/${PROJECT}/${person}.ics?token=${viewer}`)).toBe(403);
    expect(await status(`/calendar/${PROJECT}.ics?token=${viewer}`)).toBe(403);

    for (const t of [pmFeed, personFeed]) {
      for (const url of ['/api/v1/projects', `/api/v1/projects/${PROJECT}/calendar`, `/api/v1/projects/${PROJECT}/escalations`]) {
        const r = await app.inject({ url, headers: { authorization: `Bearer ${t}` } });
        expect(r.statusCode, url).toBe(403);
        expect(r.json()).toMatchObject({ code: 'FORBIDDEN_ROLE', message: expect.stringContaining('feed token') });
      }
    }
    const revoked = (await createApiToken(db, { role: 'feed', projectKey: PROJECT, name: 'revoked-feed', now })).token;
    await revokeApiToken(db, 'revoked-feed', now);
    expect(await status(`/calendar/${PROJECT}.ics?token=${revoked}`)).toBe(401);
  });

  it('the PM feed parses, folds lines, and updates in place (same UID, higher SEQUENCE) after a milestone move', async () => {
    const res = await app.inject({ url: `/calendar/${PROJECT}.ics?token=${feed}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    expectFolded(res.body);
    const before = events(res.body);
    const cutoverUid = `${PROJECT}/milestone/cutover@herald`;
    expect(before.get(cutoverUid)).toMatchObject({ sequence: 0 });
    const comm = [...before].find(([uid, e]) => uid.includes('/comm/cutover-ops-impact#') && e.summary.includes('('));
    expect(comm, 'a comm event with audience and channel').toBeDefined();

    await moveMilestone(db, { project: PROJECT, milestone: 'cutover', when: '2027-01-22', now: new Date('2026-12-01T00:00:00Z'), source: 'api' });
    const after = events((await app.inject({ url: `/calendar/${PROJECT}.ics?token=${feed}` })).body);
    expect(after.get(cutoverUid)).toMatchObject({ sequence: 1, start: '2027-01-23T00:00:00.000Z' });
    const moved = after.get(comm![0])!;
    expect(moved.sequence).toBe(1);
    expect(moved.start).not.toBe(comm![1].start);
    // Same UIDs: nothing duplicated, nothing lost; the only new event is the cutover-moved notice the move fired.
    for (const uid of before.keys()) expect(after.has(uid), uid).toBe(true);
    const added = [...after.keys()].filter((u) => !before.has(u));
    expect(added).toEqual([expect.stringContaining('/comm/cutover-moved#')]);
  });

  it("a person's feed holds the milestones and only what they will receive", async () => {
    const person = (await db.prisma.message.findFirstOrThrow({ where: { project: { key: PROJECT } }, select: { person: { select: { key: true } } } })).person
      .key;
    const personFeed = (await createApiToken(db, { role: 'feed', projectKey: PROJECT, personKey: person, name: `feed-${person}`, now: new Date() })).token;
    const res = await app.inject({ url: `/calendar/${PROJECT}/${person}.ics?token=${personFeed}` });
    expect(res.statusCode).toBe(200);
    expectFolded(res.body);
    const ev = events(res.body);
    const messages = [...ev.keys()].filter((u) => u.includes('/message/'));
    const expected = await db.prisma.message.count({
      where: { project: { key: PROJECT }, person: { key: person }, status: { notIn: ['cancelled', 'skipped'] } },
    });
    expect(messages.length).toBe(expected);
    expect(messages.every((u) => u.includes(`:${person}:`))).toBe(true);
    expect(ev.has(`${PROJECT}/milestone/cutover@herald`)).toBe(true);
  });
});
