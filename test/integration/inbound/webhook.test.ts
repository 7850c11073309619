import { describe, expect, it } from 'vitest';
import { startServer } from '../../../src/main/server.ts';
import { describeInboundPath, type SuiteContext } from './inbound-suite.ts';

const SECRET = 'webhook-secret-0123456789';

async function serve(ctx: SuiteContext) {
  return startServer({ ...ctx.config, INBOUND_WEBHOOK_SECRET: SECRET }, { db: ctx.db, clock: ctx.clock, port: 0, host: '127.0.0.1' });
}

/** A provider's inbound webhook: raw MIME POSTed to the running `herald serve`, Bearer auth. */
describeInboundPath('the POST /inbound/email webhook', async (ctx) => {
  const srv = await serve(ctx);
  return {
    async deliver(raw) {
      const res = await fetch(`${srv.url}/inbound/email`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
        body: new Uint8Array(raw),
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    },
    close: () => srv.close(),
  };
});

describe('the inbound webhook refuses what it should', () => {
  it('answers 401 without the secret, 400 without a body, and takes Basic auth', async () => {
    const { createTestDatabase } = await import('../../support/databases.ts');
    const { startHarness, TestClock } = await import('../../support/delivery.ts');
    const db = await createTestDatabase();
    const h = await startHarness(db);
    const srv = await serve({ db, clock: new TestClock(), config: h.config });
    try {
      const post = (headers: Record<string, string>, body?: string) =>
        fetch(`${srv.url}/inbound/email`, {
          method: 'POST',
          headers: { 'content-type': 'message/rfc822', ...headers },
          ...(body === undefined ? {} : { body }),
        });
      const none = await post({}, 'From: a@b\r\n\r\nx');
      expect(none.status).toBe(401);
      expect(((await none.json()) as { message: string }).message).toContain('INBOUND_WEBHOOK_SECRET');
      expect((await post({ authorization: 'Bearer wrong-secret-0123456789' }, 'From: a@b\r\n\r\nx')).status).toBe(401);
      expect((await post({ authorization: `Bearer ${SECRET}` })).status).toBe(400);
      const basic = await post(
        { authorization: `Basic ${Buffer.from(`herald:${SECRET}`).toString('base64')}` },
        'From: a@b.example\r\nMessage-ID: <basic@x>\r\n\r\nhello',
      );
      expect(basic.status).toBe(200);
      expect(await basic.json()).toMatchObject({ kind: 'reply', outcome: 'unmatched', duplicate: false });
    } finally {
      await srv.close();
      await h.close();
      await db.drop();
    }
  });
});
