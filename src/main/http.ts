/**
 * The HTTP server on its own, with the delivery queues it needs built from a Redis URL: for tests
 * and benchmarks that start the server without the rest of `herald serve` (which builds the queues
 * in server.ts). Closing the server closes its queues.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpServer as buildApp, startHttpServer as listen, type HttpDeps, type RunningServer } from '../http/server.ts';
import type { Database } from '../db/database.ts';
import { createHttpReads } from '../db/repo/http-reads.ts';
import { isTransientDbError } from '../db/postgres-errors.ts';
import { serverQueues } from './queues.ts';

export type HttpOptions = Omit<HttpDeps, 'queues' | 'reads' | 'db' | 'isDatabaseBusy'> & {
  db: Database;
  /** The read stores; built on `db` when not given. */
  reads?: HttpDeps['reads'];
  redisUrl: string;
  /** REDIS_PREFIX of the delivery queues (for /metrics and bull-board; default `herald`). */
  redisPrefix?: string;
};

function split(o: HttpOptions): { deps: HttpDeps; queues: ReturnType<typeof serverQueues> } {
  const { redisUrl, redisPrefix, reads, ...rest } = o;
  const queues = serverQueues({ redisUrl, prefix: redisPrefix });
  return { deps: { ...rest, reads: reads ?? createHttpReads(o.db), queues, isDatabaseBusy: isTransientDbError }, queues };
}

export async function buildHttpServer(o: HttpOptions): Promise<{ app: FastifyInstance; closeExtras(): Promise<void> }> {
  const { deps, queues } = split(o);
  return { app: await buildApp(deps), closeExtras: () => queues.close() };
}

export async function startHttpServer(o: HttpOptions, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const { deps, queues } = split(o);
  const running = await listen(deps, port, host).catch(async (err: unknown) => {
    await queues.close();
    throw err;
  });
  return {
    ...running,
    async close() {
      await running.close();
      await queues.close();
    },
  };
}
export type { RunningServer } from '../http/server.ts';
