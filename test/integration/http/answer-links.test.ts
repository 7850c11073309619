import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResponse } from '../../../src/app/record-response.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { startHttpServer, type RunningServer } from '../../../src/main/http.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { signToken } from '../../../src/domain/tokens.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { seedResponses, type SeededMessage, type SeededResponses } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const exp = () => Math.floor(Date.now() / 1000) + 3600;
const answerToken = (m: SeededMessage, o?: string, expiry = exp()) =>
  signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, exp: expiry, ...(o ? { o } : {}) });
const proofOf = (html: string) => /name="proof" value="([^"]+)"/.exec(html)?.[1] ?? '';
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('email answer links /r/:token', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  let seed: SeededResponses;
  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    srv = await startHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, secret: TEST_SECRET }, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await srv.close();
    await db.drop();
  });

  const responses = (m: SeededMessage) => db.prisma.response.findMany({ where: { personId: m.personId, comm: { key: m.comm } }, include: { history: true } });

  it('GET shows a confirm page with the clicked option preselected and records nothing; HEAD is 200 and records nothing', async () => {
    const m = seed.message('checkin', 'ben', 'email');
    const url = `${srv.url}/r/${answerToken(m, 'blocked')}`;
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('How is the new setup working for you?');
    expect(html).toMatch(/value="blocked" checked/);
    expect(html).not.toMatch(/value="good" checked/);
    expect(html).not.toMatch(/<script|onload=|http-equiv="refresh"/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('<textarea');
    expect(await responses(m)).toEqual([]);
  });

  it('POST with the form records once; the same form posted twice changes nothing', async () => {
    const m = seed.message('checkin', 'ben', 'email');
    const token = answerToken(m, 'blocked');
    const proof = proofOf(await (await fetch(`${srv.url}/r/${token}`)).text());
    const first = await fetch(`${srv.url}/r/${token}`, form({ proof, option: 'blocked', comment: 'Outlook keeps asking for my password' }));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('You answered: I can&#39;t work');
    const again = await fetch(`${srv.url}/r/${token}`, form({ proof, option: 'blocked', comment: 'Outlook keeps asking for my password' }));
    expect(again.status).toBe(200);
    const rows = await responses(m);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ option: 'blocked', comment: 'Outlook keeps asking for my password', channel: 'email-link', history: [] });
    expect(rows[0]!.sourceRef).toMatch(/^link:[0-9a-f]{16}:/);
  });

  it('without the form field, or with another link’s field, POST is 400 and records nothing', async () => {
    const m = seed.message('checkin', 'cy', 'email');
    const token = answerToken(m, 'good');
    const none = await fetch(`${srv.url}/r/${token}`, form({ option: 'good' }));
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('could not be accepted');
    const other = seed.message('checkin', 'ben', 'email');
    const foreign = proofOf(await (await fetch(`${srv.url}/r/${answerToken(other, 'good')}`)).text());
    expect((await fetch(`${srv.url}/r/${token}`, form({ option: 'good', proof: foreign }))).status).toBe(400);
    expect(await responses(m)).toEqual([]);
  });

  it('someone who answered in Slack sees that answer and can change it; the change keeps history', async () => {
    const slack = seed.message('checkin', 'ana', 'slack');
    const email = seed.message('checkin', 'ana', 'email');
    await recordResponse(
      { stores: db.stores, clock: systemClock },
      { messageId: slack.id, option: 'good', comment: null, channel: 'slack', receivedAt: new Date(), sourceRef: 'slack:test:1' },
    );
    const token = answerToken(email, 'minor');
    const html = await (await fetch(`${srv.url}/r/${token}`)).text();
    expect(html).toMatch(/You answered <strong>Working well<\/strong> in Slack/);
    expect(html).toContain('Change my answer');
    expect(html).toMatch(/value="minor" checked/);
    // "Some issues" asks for a comment: without one the form comes back, nothing recorded.
    const missing = await fetch(`${srv.url}/r/${token}`, form({ proof: proofOf(html), option: 'minor', comment: ' ' }));
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Please add a short comment');
    const changed = await fetch(`${srv.url}/r/${token}`, form({ proof: proofOf(html), option: 'minor', comment: 'Teams crashes' }));
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('Your answer was changed');
    const [row] = await responses(email);
    expect(row).toMatchObject({ option: 'minor', comment: 'Teams crashes', channel: 'email-link' });
    expect(row!.history).toEqual([expect.objectContaining({ oldOption: 'good', newOption: 'minor', channel: 'email-link' })]);
  });

  it('an unknown option is 400 with the form again', async () => {
    const m = seed.message('checkin', 'cy', 'email');
    const token = answerToken(m);
    const proof = proofOf(await (await fetch(`${srv.url}/r/${token}`)).text());
    const res = await fetch(`${srv.url}/r/${token}`, form({ proof, option: 'great' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not one of this question');
  });

  it('a tampered token is 400 and an expired one 410, each a human page; an unsubscribe token is not an answer link', async () => {
    const m = seed.message('checkin', 'cy', 'email');
    const token = answerToken(m, 'good');
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}x`;
    for (const method of ['GET', 'POST'] as const) {
      const res = await fetch(`${srv.url}/r/${tampered}`, method === 'POST' ? form({ option: 'good' }) : {});
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('<h1>This link is not valid</h1>');
      expect(html).not.toMatch(/\.ts:\d+|Error:/);
    }
    const expired = await fetch(`${srv.url}/r/${answerToken(m, 'good', Math.floor(Date.now() / 1000) - 60)}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('<h1>This link has expired</h1>');
    const unsub = signToken(TEST_SECRET, { k: 'unsubscribe', m: m.id, p: m.personId, exp: exp() });
    expect((await fetch(`${srv.url}/r/${unsub}`)).status).toBe(400);
    expect(await responses(m)).toEqual([]);
  });
});
