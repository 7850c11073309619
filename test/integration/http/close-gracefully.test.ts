import { createConnection, type Socket } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { trackConnections } from '../../../src/http/close-gracefully.ts';

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

async function server(graceMs: number) {
  const app = Fastify({ forceCloseConnections: 'idle' });
  app.get('/slow', () => new Promise(() => {})); // never answers
  const connections = trackConnections(app.server, graceMs);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { app, connections, port: typeof addr === 'object' && addr ? addr.port : 0 };
}

describe('closing the HTTP server with connections still open', () => {
  it('does not wait on a socket that never sent a request (a browser preconnect)', async () => {
    const { app, connections, port } = await server(30_000);
    const spare = await connect(port);
    const closed = new Promise<void>((resolve) => spare.once('close', () => resolve()));
    const t = Date.now();
    await connections.close(() => app.close());
    expect(Date.now() - t).toBeLessThan(1_000);
    await closed;
  });

  it('cuts a request still in flight once the grace period is over', async () => {
    const { app, connections, port } = await server(300);
    const busy = await connect(port);
    busy.on('error', () => {});
    const cut = new Promise<void>((resolve) => busy.once('close', () => resolve()));
    busy.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await connections.close(() => app.close());
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    expect(Date.now() - t).toBeLessThan(2_000);
    await cut; // the server hung up without an answer
  });
});
