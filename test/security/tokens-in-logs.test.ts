/**
 * Issue 15 §1.4: no token Herald issues reaches a log line. Every token-bearing route is hit with
 * real minted tokens, first answering 4xx, then 5xx (the database is taken away under the running
 * server), and everything the real logger wrote is scanned for each token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/api-tokens.ts';
import { signReplyToken, signToken } from '../../src/domain/tokens.ts';
import { startHttpServer, type RunningServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { captureLog } from '../support/log-capture.ts';
import { createLogger, scrubText } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { RESPONSES_PROJECT, seedResponses } from '../support/responses.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';

describe('tokens never reach a log', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  const { lines, stream } = captureLog();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    const seed = await seedResponses(db);
    const m = seed.message('checkin', 'ben', 'email');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    tokens.answer = signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, o: 'good', exp });
    tokens.unsubscribe = signToken(TEST_SECRET, { k: 'unsubscribe', m: m.id, p: m.personId, exp });
    tokens.escalation = signToken(TEST_SECRET, { k: 'escalation', m: m.id, p: m.personId, o: 'acknowledge', exp });
    tokens.approval = signToken(TEST_SECRET, { k: 'approval', m: m.id, p: m.personId, o: 'approve.r1', exp });
    tokens.expiredAnswer = signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, o: 'good', exp: 1_000_000 });
    tokens.reply = signReplyToken(TEST_SECRET, { m: m.id, exp });
    const now = new Date();
    for (const role of ['admin', 'editor', 'viewer'] as const) tokens[role] = (await createApiToken(db, { role, now })).token;
    tokens.feed = (await createApiToken(db, { role: 'feed', projectKey: RESPONSES_PROJECT, now })).token;
    srv = await startHttpServer(
      {
        db,
        reads: createHttpReads(db),
        redisUrl: TEST_REDIS_URL,
        secret: TEST_SECRET,
        log: createLogger('info', 'herald-test', stream),
        isAdminToken: () => null,
      },
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

  /** Every route that carries a token, in its path, query, header or body. */
  async function hitEveryTokenRoute(): Promise<number[]> {
    const u = srv.url;
    const requests: [string, RequestInit?][] = [
      [`${u}/r/${tokens.answer}`],
      [`${u}/r/${tokens.answer}`, form({ option: 'good', proof: 'x' })],
      [`${u}/r/${tokens.expiredAnswer}`],
      [`${u}/u/${tokens.unsubscribe}`],
      [`${u}/u/${tokens.unsubscribe}`, form({ proof: 'x' })],
      [`${u}/e/${tokens.escalation}`],
      [`${u}/a/${tokens.approval}`],
      [`${u}/a/${tokens.approval}`, form({ decision: 'approve', proof: 'x' })],
      [`${u}/calendar/${RESPONSES_PROJECT}.ics?token=${tokens.feed}`],
      [`${u}/calendar/${RESPONSES_PROJECT}/ben.ics?token=${encodeURIComponent(tokens.admin!)}`],
      [`${u}/api/v1/projects`, bearer(tokens.viewer!)],
      [`${u}/api/v1/projects/${RESPONSES_PROJECT}/responses?token=${tokens.editor}`, bearer(tokens.editor!)],
      [`${u}/admin/queues?token=${tokens.admin}`, bearer(tokens.admin!)],
      [`${u}/signin`, form({ token: tokens.editor!, next: `/projects/x?reply=${tokens.reply}` })],
      [`${u}/projects/${RESPONSES_PROJECT}?t=${tokens.reply}`],
      [`${u}/nowhere/${tokens.answer}?token=${tokens.admin}`],
    ];
    const statuses: number[] = [];
    for (const [url, init] of requests) statuses.push((await fetch(url, { redirect: 'manual', ...init })).status);
    return statuses;
  }

  function expectNoToken(): void {
    const out = lines.join('');
    for (const [kind, t] of Object.entries(tokens)) {
      expect(out, `${kind} token in the log`).not.toContain(t);
      expect(out, `${kind} token (URL-encoded) in the log`).not.toContain(encodeURIComponent(t));
      // A token cut short is still most of a secret.
      expect(out, `part of the ${kind} token in the log`).not.toContain(t.slice(0, 24));
    }
  }

  it('4xx answers on every token-bearing route log no token', async () => {
    const statuses = await hitEveryTokenRoute();
    expect(statuses.some((s) => s >= 400 && s < 500)).toBe(true);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expectNoToken();
  });

  it('5xx answers (database gone) log the route pattern, never the URL with its token', async () => {
    // Take the tables away under the running server: every query now fails, every route that reads answers 500.
    await db.sql.$executeRawUnsafe('ALTER SCHEMA public RENAME TO gone');
    try {
      const statuses = await hitEveryTokenRoute();
      expect(statuses.filter((s) => s >= 500).length).toBeGreaterThanOrEqual(6);
    } finally {
      await db.sql.$executeRawUnsafe('ALTER SCHEMA gone RENAME TO public');
    }
    const failures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => /request failed/.test(String(l.msg)));
    expect(failures.length).toBeGreaterThanOrEqual(6);
    const routes = failures.map((l) => l.route);
    expect(routes).toEqual(expect.arrayContaining(['/r/:token', '/u/:token', '/e/:token', '/a/:token', '/calendar/:project.ics']));
    for (const f of failures) expect(f).not.toHaveProperty('url');
    expectNoToken();
  });

  it('the scrubber removes each shape Herald issues from free text (errors, headers, addresses)', () => {
    for (const [kind, t] of Object.entries(tokens)) {
      const texts = [
        t,
        `GET https://herald.example/r/${t}?x=1`,
        `https://herald.example/calendar/p.ics?token=${encodeURIComponent(t)}`,
        `Authorization: Bearer ${t}`,
        `could not verify "${t}": bad mac`,
        `reply to it-pmo+${t}@northwind.example`,
        `cookie: herald_admin=${t}; other=1`,
      ];
      for (const text of texts) expect(scrubText(text), `${kind} in: ${text}`).not.toContain(t.slice(0, 16));
    }
    // Ids stay readable: a UUID and a sha256 are not secrets.
    expect(scrubText('message 3f2a9c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toContain(
      '3f2a9c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b',
    );
  });
});
