/**
 * The database side of `herald serve`'s /metrics (src/metrics/server-metrics.ts): row counts by
 * label, read at scrape time.
 *
 * Raw SQL for the escalation counts only, because Prisma cannot express it: the Escalation table
 * arrives with the follow-up branch, and until it is in this database's schema the gauge must stay
 * empty instead of failing the scrape; a Prisma groupBy on a missing table throws, while
 * `to_regclass` asks first. No benchmark figure is behind it (a scrape is not a hot path).
 */
import type { Database } from '../database.ts';

export interface MetricsReads {
  messagesByStatusAndChannel(): Promise<Array<{ status: string; channel: string; n: number }>>;
  responsesByChannel(): Promise<Array<{ channel: string; n: number }>>;
  inboundMailByKindAndOutcome(): Promise<Array<{ kind: string; outcome: string; n: number }>>;
  /** Unresolved escalations by state and level; none when the Escalation table is not there yet. */
  openEscalationsByStateAndLevel(): Promise<Array<{ state: string; level: number; n: number }>>;
}

export function createMetricsReads(db: Pick<Database, 'prisma'>): MetricsReads {
  return {
    async messagesByStatusAndChannel() {
      const rows = await db.prisma.message.groupBy({ by: ['status', 'channel'], _count: { _all: true } });
      return rows.map((r) => ({ status: String(r.status), channel: r.channel, n: r._count._all }));
    },
    async responsesByChannel() {
      const rows = await db.prisma.response.groupBy({ by: ['channel'], _count: { _all: true } });
      return rows.map((r) => ({ channel: r.channel, n: r._count._all }));
    },
    async inboundMailByKindAndOutcome() {
      const rows = await db.prisma.inboundMail.groupBy({ by: ['kind', 'outcome'], _count: { _all: true } });
      return rows.map((r) => ({ kind: r.kind, outcome: r.outcome, n: r._count._all }));
    },
    async openEscalationsByStateAndLevel() {
      const [exists] = await db.prisma.$queryRawUnsafe<Array<{ t: string | null }>>(`SELECT to_regclass('"Escalation"')::text AS t`);
      if (!exists?.t) return [];
      const rows = await db.prisma.$queryRawUnsafe<Array<{ state: string; level: number; n: number }>>(
        `SELECT "state", "level"::int AS level, count(*)::int AS n FROM "Escalation" WHERE "state" <> 'resolved' GROUP BY 1, 2`,
      );
      return rows.map((r) => ({ state: r.state, level: r.level, n: Number(r.n) }));
    },
  };
}
