/**
 * Issue 15 §1.6, "bad input answers 500": each reported payload, and its class, answers a 4xx with
 * a body that says what was wrong, never a 500. Also: strict link decoding (a link with one extra
 * character, a truncated one, a tampered one, a cross-kind one is a 4xx page, never the page).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PROJECT, type Target, useTarget } from './harness.ts';

const target = useTarget();
let t: Target;
beforeAll(() => {
  t = target();
});

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

describe('API: bad input is a 4xx, never a 500', () => {
  const move = (when: unknown) =>
    fetch(`${t.url}/api/v1/projects/${EXAMPLE_PROJECT}/milestones/pilot/move`, {
      method: 'POST',
      headers: json(t.tokens.editor),
      body: JSON.stringify({ when, dryRun: true }),
    });

  it.each(['2027-02-30', '', '2027-13-01', '2027-01-05T25:00', 'tomorrow', '2027-1-5', '９９９９-01-01', '2027-01-05T09:00:00.000Z'])(
    'milestone move to %j is a 400 naming the field',
    async (when) => {
      const r = await move(when);
      expect(r.status, await r.clone().text()).toBe(400);
      const body = (await r.json()) as { code: string; message: string };
      expect(body.message).toMatch(/when|date/i);
    },
  );

  // Found by the API fuzzer: a NUL in a path parameter reached PostgreSQL through Prisma and answered 500.
  it.each(['escalations', 'approvals', 'responses', 'digest?week=2027-W02', 'calendar', 'messages'])(
    'a NUL or control character in the project key of %s is a 4xx',
    async (rest) => {
      for (const key of ['%00', `${EXAMPLE_PROJECT}%00`, '%07%F4%8F%BF%BA%00%0B']) {
        const r = await fetch(`${t.url}/api/v1/projects/${key}/${rest}`, { headers: json(t.tokens.admin) });
        expect(r.status, `${key}/${rest}: ${await r.clone().text()}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${key}/${rest}`).toBeLessThan(500);
      }
    },
  );

  // Found by the page fuzzer: a repeated token parameter reached the feed as an array and answered 500.
  it('a calendar feed with the token given twice is a 400', async () => {
    for (const path of [`/calendar/${EXAMPLE_PROJECT}.ics`, '/calendar/x/y.ics']) {
      const r = await fetch(`${t.url}${path}?token=${t.tokens.feed}&token=0000-01-01`);
      expect(r.status, `${path}: ${await r.clone().text()}`).toBe(400);
    }
  });

  it('a valid move still works (dry run)', async () => {
    const r = await move('2027-01-06');
    expect(r.status, await r.clone().text()).toBe(200);
  });

  it.each(['2027-W54', '2027-W00', '2027-W53', '0000-W01', '9999-W99'])('digest preview of week %s is a 400', async (week) => {
    const r = await fetch(`${t.url}/api/v1/projects/${EXAMPLE_PROJECT}/digest?week=${week}`, { headers: json(t.tokens.viewer) });
    expect(r.status, await r.clone().text()).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/week/);
  });

  it('digest preview of an existing week still works', async () => {
    const r = await fetch(`${t.url}/api/v1/projects/${EXAMPLE_PROJECT}/digest?week=2027-W02`, { headers: json(t.tokens.viewer) });
    expect(r.status, await r.clone().text()).toBe(200);
  });

  it('malformed JSON is a 400, a wrong content type a 415, an oversized body a 413', async () => {
    const url = `${t.url}/api/v1/projects/${EXAMPLE_PROJECT}/milestones/pilot/move`;
    const bad = await fetch(url, { method: 'POST', headers: json(t.tokens.editor), body: '{"when": ' });
    expect(bad.status).toBe(400);
    const type = await fetch(url, { method: 'POST', headers: { ...json(t.tokens.editor), 'content-type': 'application/x-unknown' }, body: 'x' });
    expect(type.status).toBe(415);
    const big = await fetch(url, { method: 'POST', headers: json(t.tokens.editor), body: JSON.stringify({ when: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
  });
});

describe('links decode strictly', () => {
  const answer = () => {
    const m = t.seed.message('checkin', 'ana', 'email');
    return t.link('answer', m.id, m.personId, 'good');
  };

  it('the link as sent shows the page', async () => {
    const r = await fetch(`${t.url}/r/${answer()}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<form');
  });

  // Options of 1–4 characters give tokens of every length modulo 4, so every way a decoder can
  // ignore a dangling character is tried.
  const lengths = ['g', 'go', 'goo', 'good'];

  it.each(['A', 'x', '-', '_', 'AA', 'AAA', '0'])('the link with %j appended is refused with a page, not shown', async (extra) => {
    const m = t.seed.message('checkin', 'ana', 'email');
    for (const [route, kind] of [
      ['r', 'answer'],
      ['u', 'unsubscribe'],
      ['e', 'escalation'],
      ['a', 'approval'],
    ] as const)
      for (const o of lengths) {
        const token = t.link(kind, m.id, m.personId, o);
        // (No escalation or approval is seeded, so /e/ and /a/ refuse even the signed token; they are here for the decoder.)
        if (route !== 'e' && route !== 'a') expect((await fetch(`${t.url}/${route}/${token}`)).status, `/${route}/ as signed`).toBe(200);
        const r = await fetch(`${t.url}/${route}/${token}${extra}`);
        expect(r.status, `/${route}/…${extra}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        const text = await r.text();
        expect(text).not.toContain('<form');
        expect(text).toMatch(/not valid/);
      }
  });

  it('a truncated, a re-cased and a non-canonical link are refused', async () => {
    const token = answer();
    const last = token.at(-1)!;
    // Flip the unused low bits of the last character: the same bytes, another spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const idx = alphabet.indexOf(last);
    const variants = [
      token.slice(0, -1),
      token.slice(0, -4),
      token.toUpperCase(),
      token.slice(0, -1) + alphabet[idx ^ 1]!,
      `${token}=`,
      `${token}%00`,
      ` ${token}`,
    ];
    for (const v of variants) {
      const r = await fetch(`${t.url}/r/${encodeURIComponent(v)}`);
      expect([400, 404], v).toContain(r.status);
      expect(await r.text()).not.toContain('<form');
    }
  });

  it('an answer link is not an unsubscribe link, and an expired link says so (410)', async () => {
    const m = t.seed.message('checkin', 'ana', 'email');
    const wrongKind = await fetch(`${t.url}/u/${answer()}`);
    expect(wrongKind.status).toBe(400);
    const { signToken } = await import('../../src/domain/tokens.ts');
    const { TEST_SECRET } = await import('../support/delivery.ts');
    const expired = signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, o: 'good', exp: Math.floor(t.clock.now().getTime() / 1000) - 1 });
    const r = await fetch(`${t.url}/r/${expired}`);
    expect(r.status).toBe(410);
    const other = signToken('another-deployments-secret-000000', {
      k: 'answer',
      m: m.id,
      p: m.personId,
      o: 'good',
      exp: Math.floor(t.clock.now().getTime() / 1000) + 3600,
    });
    expect((await fetch(`${t.url}/r/${other}`)).status).toBe(400);
  });
});
