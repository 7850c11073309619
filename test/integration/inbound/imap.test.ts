import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { startInbound, type InboundRuntime } from '../../../src/main/inbound.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { startHarness, TestClock, type Harness } from '../../support/delivery.ts';
import { startDovecot, type Dovecot } from '../../support/dovecot.ts';
import { mailFixture } from '../../support/mail-fixtures.ts';
import { describeInboundPath, waitForMail } from './inbound-suite.ts';

const USER = 'pmo@test';
const PASSWORD = 'imap-secret';

async function appender(dovecot: Dovecot): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  await c.connect();
  return c;
}

/** IMAP against a real Dovecot: each fixture is APPENDed to the mailbox the poller watches. */
describe('IMAP', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: { [USER]: PASSWORD } });
  }, 120_000);
  afterAll(async () => {
    await dovecot?.stop();
  });

  describeInboundPath('IMAP polling (Dovecot)', async ({ db, clock, config }) => {
    const inbound = await startInbound({ ...config, IMAP_URL: dovecot.url(USER, PASSWORD), IMAP_POLL_SECONDS: 1 }, { db, clock });
    const client = await appender(dovecot);
    return {
      async deliver(raw) {
        await client.append('INBOX', raw);
      },
      async close() {
        await client.logout();
        await inbound!.close();
      },
    };
  });

  it('flags each stored message \\Seen and leaves nothing unseen', async () => {
    const client = await appender(dovecot);
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const unseen = (await client.search({ seen: false }, { uid: true })) || [];
        const all = (await client.search({ all: true }, { uid: true })) || [];
        expect(all.length).toBeGreaterThan(20);
        expect(unseen).toEqual([]);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });
});

describe('IMAP with OAuth2 (XOAUTH2)', () => {
  let dovecot: Dovecot;
  let oauth: Server;
  let oauthUrl: string;
  const grants: string[] = [];
  const TOKEN = 'ya29.test-access-token';
  let db: TestDatabase;
  let h: Harness;
  let inbound: InboundRuntime | undefined;

  beforeAll(async () => {
    // One local server plays both sides: the identity provider's token endpoint (what Herald
    // calls) and its introspection endpoint (what Dovecot calls to check the token).
    oauth = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        res.setHeader('content-type', 'application/json');
        if (req.url === '/token') {
          grants.push(`${form.get('grant_type')}:${form.get('client_id')}:${form.get('scope')}`);
          return res.end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 }));
        }
        const active = form.get('token') === TOKEN || (req.headers.authorization ?? '') === `Bearer ${TOKEN}`;
        res.end(JSON.stringify(active ? { active: true, username: USER } : { active: false }));
      });
    });
    await new Promise<void>((r) => oauth.listen(0, '127.0.0.1', r));
    oauthUrl = `http://127.0.0.1:${(oauth.address() as AddressInfo).port}`;
    dovecot = await startDovecot({ users: { [USER]: PASSWORD }, oauth2IntrospectionUrl: `${oauthUrl}/introspect` });
    db = await createTestDatabase();
    h = await startHarness(db);
  }, 120_000);
  afterAll(async () => {
    await inbound?.close();
    await h?.close();
    await db?.drop();
    await dovecot?.stop();
    await new Promise((r) => oauth?.close(r));
  });

  it('fetches a token by client credentials and reads the mailbox with it', async () => {
    const config = loadConfig({
      ...Object.fromEntries(Object.entries(h.config).map(([k, v]) => [k, String(v)])),
      IMAP_URL: dovecot.url(USER),
      IMAP_POLL_SECONDS: '1',
      IMAP_OAUTH2_TOKEN_URL: `${oauthUrl}/token`,
      IMAP_OAUTH2_CLIENT_ID: 'herald-app',
      IMAP_OAUTH2_CLIENT_SECRET: 'app-secret',
      IMAP_OAUTH2_SCOPE: 'https://outlook.office365.com/.default',
    });
    inbound = await startInbound(config, { db, clock: new TestClock() });
    const client = await appender(dovecot);
    await client.append('INBOX', mailFixture('unmatched', { MESSAGE_ID: '<oauth-1@mail.example>' }));
    await client.logout();
    const mail = await waitForMail(db, { dedupeKey: 'mid:<oauth-1@mail.example>' }, 20_000);
    expect(mail).toMatchObject({ via: 'imap', outcome: 'unmatched' });
    expect(grants[0]).toBe('client_credentials:herald-app:https://outlook.office365.com/.default');
  });
});
