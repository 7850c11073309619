import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database.ts';

export interface HttpDeps {
  db: Database;
  redisUrl: string;
  /** Extra routes mounted before the 404 (Slack events, response links, API: later). */
  routes?: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * `herald serve`: health and metrics today; Slack events, response links, the API and the
 * dashboard mount here as they are built.
 */
export async function startHttpServer(deps: HttpDeps, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'herald_' });
  const redis = new Redis(deps.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => {});
  const messages = new Gauge({
    name: 'herald_messages',
    help: 'Messages by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await deps.db.prisma.$queryRawUnsafe<Array<{ status: string; n: number }>>(
        `SELECT "status"::text AS status, count(*)::int AS n FROM "Message" GROUP BY 1`,
      );
      this.reset();
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });
  void messages;

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/healthz') {
        const checks: Record<string, string> = {};
        await deps.db.prisma.$queryRawUnsafe('SELECT 1').then(() => (checks.database = 'ok'), (e: unknown) => (checks.database = String(e)));
        await redis.ping().then(() => (checks.redis = 'ok'), (e: unknown) => (checks.redis = String(e)));
        const ok = Object.values(checks).every((v) => v === 'ok');
        return json(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', ...checks });
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        return res.end(await registry.metrics());
      }
      for (const route of deps.routes ?? []) if (await route(req, res)) return;
      json(res, 404, { error: 'not_found', message: `no route for ${req.method} ${path}` });
    })().catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: 'internal', message: e instanceof Error ? e.message : String(e) });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    server,
    url: `http://127.0.0.1:${actual}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}
