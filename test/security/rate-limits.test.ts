/**
 * Issue 15 §1.6: rate limits on sign-in, the API, Slack events and the inbound webhook, keyed on
 * the real client address: the peer address by default (X-Forwarded-For cannot be used to dodge
 * the limit), the forwarded one only behind a proxy named by TRUST_PROXY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { EXAMPLE_PROJECT, INBOUND_SECRET, startTarget, type Target } from './harness.ts';

const LIMITS = {
  HTTP_RATE_LIMIT_SIGNIN_PER_MINUTE: '3',
  HTTP_RATE_LIMIT_API_PER_MINUTE: '5',
  HTTP_RATE_LIMIT_SLACK_PER_MINUTE: '4',
  HTTP_RATE_LIMIT_WEBHOOK_PER_MINUTE: '4',
  HTTP_RATE_LIMIT_PER_MINUTE: '6',
};

interface Probe {
  name: string;
  limit: number;
  send(t: Target, headers: Record<string, string>): Promise<Response>;
}

const PROBES: Probe[] = [
  {
    name: 'POST /signin',
    limit: 3,
    send: (t, h) =>
      fetch(`${t.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...h, 'content-type': 'application/x-www-form-urlencoded', origin: t.url },
        body: 'token=hrld_wrong',
      }),
  },
  { name: 'GET /api/v1/projects (no token)', limit: 5, send: (t, h) => fetch(`${t.url}/api/v1/projects`, { headers: h }) },
  {
    name: 'POST /slack/events (unsigned)',
    limit: 4,
    send: (t, h) => fetch(`${t.url}/slack/events`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{}' }),
  },
  {
    name: 'POST /inbound/email (wrong secret)',
    limit: 4,
    send: (t, h) =>
      fetch(`${t.url}/inbound/email`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'message/rfc822', authorization: 'Bearer wrong' },
        body: 'Subject: x\r\n\r\nx',
      }),
  },
  { name: 'GET /r/:token (link page)', limit: 6, send: (t, h) => fetch(`${t.url}/r/AAAA`, { headers: h }) },
];

async function statuses(t: Target, p: Probe, n: number, headers: (i: number) => Record<string, string>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await p.send(t, headers(i));
    await r.arrayBuffer();
    out.push(r.status);
  }
  return out;
}

describe('without TRUST_PROXY: the peer address, whatever X-Forwarded-For says', () => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget(LIMITS);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it.each(PROBES.map((p) => [p.name, p] as const))('%s: 429 past the limit, even with a new X-Forwarded-For each time', async (_name, p) => {
    const got = await statuses(t, p, p.limit + 2, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }));
    expect(
      got.slice(0, p.limit).every((s) => s !== 429 && s < 500),
      got.join(','),
    ).toBe(true);
    expect(got.slice(p.limit), got.join(',')).toEqual([429, 429]);
  });

  it('the calendar feeds share the API budget (a feed token guessed by the thousand is cut too)', async () => {
    const r = await fetch(`${t.url}/calendar/${EXAMPLE_PROJECT}.ics?token=hrld_wrong`);
    expect(r.status).toBe(429);
  });

  it('the webhook with the right secret is limited too, and the limit answer says when to retry', async () => {
    const r = await fetch(`${t.url}/inbound/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${INBOUND_SECRET}` },
      body: 'Subject: x\r\n\r\nx',
    });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('TRUST_PROXY=1 (one proxy in front): the forwarded client address', () => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget({ ...LIMITS, TRUST_PROXY: '1' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('each client behind the proxy has its own budget; one client alone still hits the limit', async () => {
    const api = PROBES[1]!;
    const spread = await statuses(t, api, 12, (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }));
    expect(
      spread.every((s) => s === 401),
      spread.join(','),
    ).toBe(true);
    // The client cannot prepend a spoofed hop: with one trusted proxy only the last entry counts.
    const one = await statuses(t, api, 7, (i) => ({ 'x-forwarded-for': `10.9.9.${i}, 192.0.2.7` }));
    expect(one.slice(5)).toEqual([429, 429]);
  });
});

describe('TRUST_PROXY parsing', () => {
  const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x' };
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1,::1', ['10.0.0.0/8', '127.0.0.1', '::1']],
  ])('%j → %j', (raw, want) => {
    expect(loadConfig({ ...base, ...(raw === undefined ? {} : { TRUST_PROXY: raw }) }).TRUST_PROXY).toEqual(want);
  });
  it('an address that is not one is a config error naming it', () => {
    expect(() => loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/99,proxy.internal' })).toThrow(/TRUST_PROXY.*"10\.0\.0\.0\/99", "proxy\.internal"/s);
  });
});
