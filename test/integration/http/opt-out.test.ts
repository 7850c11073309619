import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { signToken } from '../../../src/domain/tokens.ts';
import { startHttpServer, type RunningServer } from '../../../src/main/http.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TEST_SECRET, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { RESPONSES_PLAN, RESPONSES_PROJECT, seedResponses, type SeededMessage, type SeededResponses } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const unsubToken = (m: SeededMessage, expiry = Math.floor(Date.now() / 1000) + 3600) =>
  signToken(TEST_SECRET, { k: 'unsubscribe', m: m.id, p: m.personId, exp: expiry });
const form = (body: string, type = 'application/x-www-form-urlencoded') => ({ method: 'POST', headers: { 'content-type': type }, body });

describe('opt-out /u/:token', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  let seed: SeededResponses;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    srv = await startHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, secret: TEST_SECRET }, 0, '127.0.0.1');
    h = await startHarness(db, { slack: { users: sandboxUsersFor((await loadPlanFile(RESPONSES_PLAN)).plan) } });
  });
  afterAll(async () => {
    await h.close();
    await srv.close();
    await db.drop();
  });

  const optOuts = (m: SeededMessage) => db.prisma.optOut.findMany({ where: { personId: m.personId }, select: { commKey: true } });

  it('GET shows a confirm page and changes nothing', async () => {
    const m = seed.message('tips', 'ben', 'email');
    const head = await fetch(`${srv.url}/u/${unsubToken(m)}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const res = await fetch(`${srv.url}/u/${unsubToken(m)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Unsubscribe from these messages');
    expect(html).toContain('Unsubscribe from all optional messages of Responses test project');
    expect(html).not.toMatch(/<script/i);
    expect(await optOuts(m)).toEqual([]);
  });

  it('RFC 8058 one-click POST (form or multipart) unsubscribes from that comm, twice is once', async () => {
    const m = seed.message('tips', 'ben', 'email');
    const one = await fetch(`${srv.url}/u/${unsubToken(m)}`, form('List-Unsubscribe=One-Click'));
    expect(one.status).toBe(200);
    expect(await one.text()).toContain('You are unsubscribed');
    const boundary = 'xYzZY';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const two = await fetch(`${srv.url}/u/${unsubToken(m)}`, form(multipart, `multipart/form-data; boundary=${boundary}`));
    expect(two.status).toBe(200);
    expect(await optOuts(m)).toEqual([{ commKey: 'tips' }]);
  });

  it('the page’s "all optional messages" button opts out of every optional comm of the project', async () => {
    const m = seed.message('tips', 'cy', 'email');
    const res = await fetch(`${srv.url}/u/${unsubToken(m)}`, form('scope=all'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('all optional messages of Responses test project');
    expect(await optOuts(m)).toEqual([{ commKey: '*' }]);
  });

  it('an opted-out person can subscribe again from the same link; the audit trail records both', async () => {
    const m = seed.message('tips', 'cy', 'email');
    expect((await fetch(`${srv.url}/u/${unsubToken(m)}`, form('scope=all'))).status).toBe(200);
    expect((await optOuts(m)).map((o) => o.commKey)).toEqual(['*']);
    const page = await (await fetch(`${srv.url}/u/${unsubToken(m)}`)).text();
    expect(page).toContain('You are already unsubscribed');
    expect(page).toContain('Subscribe again');
    const back = await fetch(`${srv.url}/u/${unsubToken(m)}`, form('scope=resubscribe'));
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('You are subscribed again');
    expect(await optOuts(m)).toEqual([]);
    // Twice is once: nothing left to undo, no second entry.
    await fetch(`${srv.url}/u/${unsubToken(m)}`, form('scope=resubscribe'));
    const entries = await db.prisma.auditEntry.findMany({
      where: { action: { in: ['person.opted-out', 'person.opted-in'] }, actor: 'cy' },
      orderBy: { seq: 'asc' },
    });
    expect(entries.map((e) => [e.action, e.ref])).toEqual([
      ['person.opted-out', 'all optional comms'],
      ['person.opted-in', 'tips'],
    ]);
    // Cy stays opted out for the delivery test below.
    await fetch(`${srv.url}/u/${unsubToken(m)}`, form('scope=all'));
  });

  it('a mandatory notice refuses with a clear page', async () => {
    const m = seed.message('notice', 'ben', 'email');
    const get = await fetch(`${srv.url}/u/${unsubToken(m)}`);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('This notice cannot be unsubscribed from');
    const post = await fetch(`${srv.url}/u/${unsubToken(m)}`, form('List-Unsubscribe=One-Click'));
    expect(post.status).toBe(409);
    expect(await post.text()).toContain('Only optional messages, such as tips, can be unsubscribed from.');
    expect(await optOuts(seed.message('notice', 'ana', 'email'))).toEqual([]);
  });

  it('tampered tokens are 400, expired 410, answer tokens are not unsubscribe links', async () => {
    const m = seed.message('tips', 'ana', 'email');
    const t = unsubToken(m);
    expect((await fetch(`${srv.url}/u/${t.slice(0, -3)}abc`)).status).toBe(400);
    const expired = await fetch(`${srv.url}/u/${unsubToken(m, Math.floor(Date.now() / 1000) - 5)}`, form('List-Unsubscribe=One-Click'));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired');
    const answer = signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await fetch(`${srv.url}/u/${answer}`, form('List-Unsubscribe=One-Click'))).status).toBe(400);
    expect(await optOuts(m)).toEqual([]);
  });

  it('opted-out people get no further optional messages; the others get them with List-Unsubscribe headers', async () => {
    await h.startWorker();
    const { occurrence } = await sendManual(db, { project: RESPONSES_PROJECT, comm: 'tips', now: new Date(), ignoreQuietHours: true });
    await waitForQuiet(db, 30_000);
    const rows = await db.prisma.message.findMany({ where: { comm: { key: 'tips' }, occurrence }, include: { person: true } });
    const byPerson = (key: string) => rows.filter((r) => r.person.key === key).map((r) => [r.channel, r.status, r.lastError ?? null]);
    expect(byPerson('ben').every(([, status]) => status === 'skipped')).toBe(true);
    expect(byPerson('cy').every(([, status]) => status === 'skipped')).toBe(true);
    expect(byPerson('ana').every(([, status]) => status === 'sent')).toBe(true);
    const mail = h.smtp.messages.find((x) => x.to.some((t) => t.includes('ana@herald.example')));
    expect(mail?.headers['list-unsubscribe']).toMatch(/^<http:\/\/herald\.test\/u\/[A-Za-z0-9_-]+>$/);
    // PUBLIC_URL is http here: RFC 8058 forbids one-click over http, so no List-Unsubscribe-Post.
    expect(mail?.headers['list-unsubscribe-post']).toBeUndefined();
  });
});
