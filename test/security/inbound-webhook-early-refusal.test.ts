/**
 * Issue 15 §1.6: "the inbound webhook reads 25 MiB before checking its secret". The secret is now
 * checked before the body is read: a client announcing 25 MiB with a wrong (or no) secret gets its
 * 401 after sending only the headers and a first chunk, and the server closes the connection
 * instead of draining the rest.
 */
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_SECRET, type Target, useTarget } from './harness.ts';

const target = useTarget();
let t: Target;
beforeAll(() => {
  t = target();
});

const BIG = 25 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** Sends the headers and then the body one chunk at a time, waiting for an answer between chunks; returns what was sent when the answer came. */
function sendSlowly(url: string, authorization: string | undefined): Promise<{ status: number; sentBytes: number; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let sent = 0;
    let answer = '';
    let status = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, sentBytes: sent, closedByServer });
    };
    // The server closing while a chunk is in flight shows as EPIPE or ECONNRESET: that is the refusal too.
    socket.on('error', (err: NodeJS.ErrnoException) => (status || err.code === 'EPIPE' || err.code === 'ECONNRESET' ? finish(true) : reject(err)));
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m) status = Number(m[1]);
    });
    socket.on('end', () => finish(true));
    socket.on('connect', () => {
      socket.write(
        `POST /inbound/email HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: message/rfc822\r\nContent-Length: ${BIG}\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}\r\n`,
      );
      const chunk = Buffer.alloc(CHUNK, 0x61);
      const next = () => {
        if (status || sent >= BIG || socket.destroyed) return;
        sent += CHUNK;
        socket.write(chunk);
        timer = setTimeout(next, 20);
      };
      next();
    });
    setTimeout(() => finish(false), 20_000).unref();
  });
}

describe('inbound webhook: the secret is checked before the body is read', () => {
  it.each([
    ['a wrong bearer secret', 'Bearer not-the-secret-at-all'],
    ['a wrong Basic password', `Basic ${Buffer.from('mailgun:nope').toString('base64')}`],
    ['no Authorization header', undefined],
  ])('%s: 401 after at most a few chunks of a 25 MiB body, and the connection is closed', async (_what, authorization) => {
    const r = await sendSlowly(t.url, authorization);
    expect(r.status).toBe(401);
    expect(r.sentBytes).toBeLessThan(1024 * 1024);
    expect(r.closedByServer).toBe(true);
  });

  it('the right secret still gets its mail read (a small one)', async () => {
    const mail = 'From: ana@herald.example\r\nTo: pmo@herald.example\r\nSubject: hello\r\nMessage-ID: <early-refusal@test>\r\n\r\nhi\r\n';
    const r = await fetch(`${t.url}/inbound/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${INBOUND_SECRET}` },
      body: mail,
    });
    expect(r.status, await r.clone().text()).toBe(200);
  });

  it("twenty 25 MiB posts with a wrong secret do not grow the server's memory by their size", async () => {
    const before = process.memoryUsage().rss;
    const runs = await Promise.all(Array.from({ length: 20 }, () => sendSlowly(t.url, 'Bearer wrong')));
    expect(runs.every((r) => r.closedByServer && r.sentBytes < 1024 * 1024)).toBe(true);
    const grown = process.memoryUsage().rss - before;
    // 20 × 25 MiB would be 500 MiB if bodies were read; allow a generous margin for the test's own buffers.
    expect(grown).toBeLessThan(100 * 1024 * 1024);
  });
});
