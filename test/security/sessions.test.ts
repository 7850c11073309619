/**
 * Issue 15 §1.6: sessions are server-side. A cookie holds only a random session id; signing out,
 * revoking the token and the expiry end it, so a copied cookie is worthless afterwards. bull-board's
 * cookie holds a session id, never the admin token. /signin needs its own form's proof and a
 * same-site Origin. Feed URLs take only feed tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/app/api-tokens.ts';
import type { Clock } from '../../src/app/ports.ts';
import { loadConfig } from '../../src/config/config.ts';
import { startHttpServer, type RunningServer } from '../../src/main/http.ts';
import { adminTokenCheck } from '../../src/main/server.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { RESPONSES_PROJECT, seedResponses } from '../support/responses.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';

/** `name=value` pairs of a response's Set-Cookie headers. */
function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    out[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
  return out;
}
const cookieHeader = (c: Record<string, string>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

describe('sessions, sign-in and token placement', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  let now = new Date('2030-02-11T14:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedResponses(db, now);
    for (const role of ['admin', 'editor', 'viewer'] as const) tokens[role] = (await createApiToken(db, { role, name: `t-${role}`, now })).token;
    tokens.feed = (await createApiToken(db, { role: 'feed', projectKey: RESPONSES_PROJECT, name: 't-feed', now })).token;
    const isAdminToken = await adminTokenCheck(loadConfig({}), db, clock);
    srv = await startHttpServer(
      { db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, secret: TEST_SECRET, clock, isAdminToken, publicUrl: 'https://herald.example' },
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  /** Signs in as the dashboard's own form does: GET /signin, then POST with its proof and nonce cookie. */
  async function signIn(token: string): Promise<Record<string, string>> {
    const page = await fetch(`${srv.url}/signin`);
    const proof = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(proof, 'the sign-in form carries a proof').toBeDefined();
    const res = await fetch(`${srv.url}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: srv.url, cookie: cookieHeader(cookiesOf(page)) },
      body: new URLSearchParams({ token, next: '/', _csrf: proof! }).toString(),
    });
    expect(res.status).toBe(303);
    const c = cookiesOf(res);
    expect(c.herald_session).toBeDefined();
    return { herald_session: c.herald_session! };
  }
  const home = (cookie: Record<string, string>) => fetch(`${srv.url}/`, { redirect: 'manual', headers: { cookie: cookieHeader(cookie) } });
  const csrfOf = async (cookie: Record<string, string>) => /name="_csrf" value="([^"]+)"/.exec(await (await home(cookie)).text())![1]!;

  it('the session cookie holds a random id, not the token or its id', async () => {
    const cookie = await signIn(tokens.viewer!);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { name: 't-viewer' } });
    const value = decodeURIComponent(cookie.herald_session!);
    expect(value).not.toContain(tokens.viewer);
    expect(value).not.toContain(row.id);
    expect((await home(cookie)).status).toBe(200);
  });

  it('signing out ends the session server-side: a copy of the cookie no longer opens anything', async () => {
    const cookie = await signIn(tokens.viewer!);
    const copy = { ...cookie };
    const out = await fetch(`${srv.url}/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(cookie) },
      body: new URLSearchParams({ _csrf: await csrfOf(cookie) }).toString(),
    });
    expect(out.status).toBe(303);
    const replay = await home(copy);
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toMatch(/^\/signin/);
  });

  it('revoking the token ends its sessions (rows removed), and a session expires after 12 hours', async () => {
    const t = (await createApiToken(db, { role: 'viewer', name: 'to-revoke', now })).token;
    const cookie = await signIn(t);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { name: 'to-revoke' } });
    expect(await db.prisma.session.count({ where: { tokenId: row.id } })).toBe(1);
    await revokeApiToken(db, 'to-revoke', now);
    expect(await db.prisma.session.count({ where: { tokenId: row.id } })).toBe(0);
    expect((await home(cookie)).status).toBe(303);

    const later = await signIn(tokens.viewer!);
    const start = now;
    try {
      now = new Date(start.getTime() + 11 * 3600_000);
      expect((await home(later)).status).toBe(200);
      now = new Date(start.getTime() + 12 * 3600_000 + 1000);
      expect((await home(later)).status).toBe(303);
    } finally {
      now = start;
    }
  });

  it('/signin refuses a POST without the form’s proof, with a proof from another browser, or from another origin', async () => {
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(`${srv.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ token: tokens.editor!, ...fields }).toString(),
      });
    // A cross-site form: no proof at all.
    const bare = await post({ origin: 'https://evil.example' }, {});
    expect(bare.status).toBe(403);
    expect(cookiesOf(bare).herald_session).toBeUndefined();
    // A proof the attacker fetched for their own browser, replayed without that browser's nonce cookie.
    const page = await fetch(`${srv.url}/signin`);
    const proof = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const foreign = await post({}, { _csrf: proof });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('sign-in page was not opened first');
    // Proof and cookie both right, but sent from another site.
    const nonce = cookieHeader(cookiesOf(page));
    for (const origin of ['https://evil.example', 'null']) {
      const cross = await post({ origin, cookie: nonce }, { _csrf: proof });
      expect(cross.status, origin).toBe(403);
      expect(await cross.text()).toContain('another site');
    }
    const viaReferer = await post({ referer: 'https://evil.example/page', cookie: nonce }, { _csrf: proof });
    expect(viaReferer.status).toBe(403);
    // PUBLIC_URL's origin is this site too (behind a proxy the Host header differs).
    const viaPublic = await post({ origin: 'https://herald.example', cookie: nonce }, { _csrf: proof });
    expect(viaPublic.status).toBe(303);
    expect(cookiesOf(viaPublic).herald_session).toBeDefined();
  });

  it('bull-board’s cookie holds a session id, never the admin token, and ends with the token', async () => {
    const admin2 = (await createApiToken(db, { role: 'admin', name: 'board-admin', now })).token;
    const page = await fetch(`${srv.url}/admin/queues`, { headers: { authorization: `Bearer ${admin2}` } });
    expect(page.status).toBe(200);
    const setCookie = page.headers.getSetCookie().join('\n');
    expect(setCookie).not.toContain(admin2);
    expect(setCookie).not.toContain(encodeURIComponent(admin2));
    const c = cookiesOf(page);
    expect(c.herald_admin).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const api = () => fetch(`${srv.url}/admin/queues/api/queues`, { headers: { cookie: cookieHeader(c) } });
    expect((await api()).status).toBe(200);
    // The admin token itself is not a cookie value that works.
    expect((await fetch(`${srv.url}/admin/queues/api/queues`, { headers: { cookie: `herald_admin=${admin2}` } })).status).toBe(403);
    await revokeApiToken(db, 'board-admin', now);
    expect((await api()).status).toBe(403);
  });

  it('feed URLs take only feed tokens: admin, editor and viewer tokens are refused with a hint', async () => {
    for (const role of ['admin', 'editor', 'viewer']) {
      const res = await fetch(`${srv.url}/calendar/${RESPONSES_PROJECT}.ics?token=${tokens[role]}`);
      expect(res.status, role).toBe(403);
      const body = (await res.json()) as { code: string; details: { hint: string } };
      expect(body.code).toBe('FEED_TOKEN_REQUIRED');
      expect(body.details.hint).toContain('--role feed');
    }
    expect((await fetch(`${srv.url}/calendar/${RESPONSES_PROJECT}.ics?token=${tokens.feed}`)).status).toBe(200);
  });
});
