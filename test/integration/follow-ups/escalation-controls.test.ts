import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResponse } from '../../../src/app/record-response.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { ESCALATION_ACTION_PREFIX } from '../../../src/app/render-escalation.ts';
import { NOT_YOUR_ESCALATION } from '../../../src/http/slack/escalation-actions.ts';
import { signToken } from '../../../src/domain/tokens.ts';
import { startServer, type ServerRuntime } from '../../../src/main/server.ts';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../../src/sandbox/slack-payloads.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { startHarness, TEST_SECRET, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { seedResponses, type SeededResponses } from '../../support/responses.ts';

const SIGNING = 'signing-secret-for-tests';
let db: TestDatabase;
let seed: SeededResponses;
let h: Harness;
let srv: ServerRuntime;

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedResponses(db);
  h = await startHarness(db, {
    slack: {
      users: [
        { id: 'UANA00001', email: 'ana@herald.example', name: 'Ana' },
        { id: 'UBEN00001', email: 'ben@herald.example', name: 'Ben' },
        { id: 'UEVE00001', email: 'eve@x.example', name: 'Eve' },
      ],
    },
  });
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: h.config.REDIS_URL,
    REDIS_PREFIX: h.prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING,
    SLACK_API_URL: h.slack.url,
    HERALD_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
  });
  srv = await startServer(config, { db, port: 0, host: '127.0.0.1' });
  await h.startWorker();
});
afterAll(async () => {
  await srv.close();
  await h.close();
  await db.drop();
});

describe('acknowledge and resolve controls', () => {
  it("a Slack button on the owner's notice acknowledges it in place, and the person who answered is told by email", async () => {
    // Cy has email only; "I can't work" is urgent: Ana (the exchange owner) gets a DM at once.
    const m = seed.message('checkin', 'cy', 'email');
    const r = await recordResponse(
      { stores: db.stores, clock: systemClock },
      {
        messageId: m.id,
        option: 'blocked',
        comment: 'Laptop will not boot',
        channel: 'email-link',
        receivedAt: new Date(),
        sourceRef: 'link:cy-1',
      },
    );
    const escalationId = r.followUps.escalation!.id;
    const dm = await until('the notice DM', () => h.slack.messagesTo('UANA00001').find((p) => JSON.stringify(p.blocks).includes('Laptop will not boot')));
    const value = JSON.stringify({ e: escalationId, a: 'acknowledge' });
    const post = async (user: string) => {
      const body = interactionBody(
        blockActions({ user, message: { channel: dm.channel, ts: dm.ts, blocks: dm.blocks ?? [] }, actionId: `${ESCALATION_ACTION_PREFIX}acknowledge`, value }),
      );
      return fetch(`${srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders(SIGNING, body), body });
    };

    expect((await post('UEVE00001')).status).toBe(200);
    await until('the ephemeral refusal', () => h.slack.callsTo('chat.postEphemeral').find((c) => c.body.text === NOT_YOUR_ESCALATION));
    expect((await db.prisma.escalation.findUniqueOrThrow({ where: { id: escalationId } })).state).toBe('open');

    expect((await post('UANA00001')).status).toBe(200);
    await until('acknowledged', async () => (await db.prisma.escalation.findUniqueOrThrow({ where: { id: escalationId } })).state === 'acknowledged');
    const updated = await until('chat.update', () => h.slack.messagesTo('UANA00001').find((p) => p.ts === dm.ts && p.updatedAt !== undefined));
    expect(JSON.stringify(updated.blocks)).toContain('Acknowledged by Ana Silva');
    const mail = await until('the update email', () =>
      h.smtp.messages.find((x) => x.to.includes('cy@herald.example') && x.subject.includes("Ana's team is on it")),
    );
    expect(mail.text).toContain("I can't work");
  });

  it("email links open a confirm page (GET and HEAD change nothing); only its form's POST resolves", async () => {
    const e = await db.prisma.escalation.findFirstOrThrow({ where: { person: { key: 'cy' } } });
    const token = signToken(TEST_SECRET, { k: 'escalation', m: e.id, p: e.ownerId, o: 'resolve', exp: Math.floor(Date.now() / 1000) + 3600 });
    const url = `${srv.url}/e/${token}`;
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const get = await fetch(url);
    expect(get.status).toBe(200);
    const html = await get.text();
    expect(html).toContain('Resolve this escalation?');
    expect(html).toContain('Laptop will not boot');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<textarea id="note" name="note" maxlength="2000">/);
    expect((await db.prisma.escalation.findUniqueOrThrow({ where: { id: e.id } })).state).toBe('acknowledged');

    const noProof = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(noProof.status).toBe(400);
    const tampered = await fetch(`${srv.url}/e/${token.slice(0, -2)}xx`);
    expect(tampered.status).toBe(400);
    const expired = signToken(TEST_SECRET, { k: 'escalation', m: e.id, p: e.ownerId, o: 'resolve', exp: Math.floor(Date.now() / 1000) - 10 });
    expect((await fetch(`${srv.url}/e/${expired}`)).status).toBe(410);
    const stranger = signToken(TEST_SECRET, { k: 'escalation', m: e.id, p: e.personId, o: 'resolve', exp: Math.floor(Date.now() / 1000) + 3600 });
    expect((await fetch(`${srv.url}/e/${stranger}`)).status).toBe(400);

    const proof = /name="proof" value="([^"]+)"/.exec(html)![1]!;
    const long = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `proof=${encodeURIComponent(proof)}&note=${'x'.repeat(2001)}`,
    });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('at most 2000 are kept');
    expect((await db.prisma.escalation.findUniqueOrThrow({ where: { id: e.id } })).state).toBe('acknowledged');
    const done = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `proof=${encodeURIComponent(proof)}&note=${encodeURIComponent('New disk fitted')}`,
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('resolved');
    expect(await db.prisma.escalation.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ state: 'resolved', resolutionNote: 'New disk fitted' });
    await waitForQuiet(db, 10_000, `"kind"='escalation-update'`);
    expect(h.smtp.messages.filter((x) => x.to.includes('cy@herald.example') && x.subject.includes('resolved'))).toHaveLength(1);
  });
});
