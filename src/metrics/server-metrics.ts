/**
 * `herald serve`'s /metrics: gauges read at scrape time from the database and the queues, so every
 * server instance reports the same totals (the worker's send histograms are on its own listener,
 * see delivery-metrics.ts).
 */
import type { Queue } from 'bullmq';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsReads } from '../db/repo/metrics-reads.ts';

/** BullMQ job states reported per queue: waiting (+prioritized) is the depth, delayed waits for its time. */
const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

export function createServerMetrics(reads: MetricsReads, queues: readonly Queue[]): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'herald_' });
  new Gauge({
    name: 'herald_messages',
    help: 'Messages by status and channel',
    labelNames: ['status', 'channel'],
    registers: [registry],
    async collect() {
      const rows = await reads.messagesByStatusAndChannel();
      this.reset();
      for (const r of rows) this.set({ status: r.status, channel: r.channel }, r.n);
    },
  });
  new Gauge({
    name: 'herald_queue_jobs',
    help: 'Delivery jobs per queue and BullMQ state (depth = waiting + prioritized; delayed = waiting for their time)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of queues) {
        const counts = await q.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'herald_responses',
    help: 'Survey responses recorded (one per person and survey occurrence), by the channel of the latest answer',
    labelNames: ['channel'],
    registers: [registry],
    async collect() {
      const rows = await reads.responsesByChannel();
      this.reset();
      for (const r of rows) this.set({ channel: r.channel }, r.n);
    },
  });
  new Gauge({
    name: 'herald_inbound_mail',
    help: 'Inbound mail by kind and outcome (recorded, bounced, paused, ignored, listed, unmatched, unparseable, empty)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
    async collect() {
      const rows = await reads.inboundMailByKindAndOutcome();
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, outcome: r.outcome }, r.n);
    },
  });
  new Gauge({
    name: 'herald_escalations_open',
    help: 'Escalations not yet resolved, by state (open, acknowledged) and level',
    labelNames: ['state', 'level'],
    registers: [registry],
    async collect() {
      this.reset();
      // Empty until the Escalation table is in this database's schema (see metrics-reads.ts).
      for (const r of await reads.openEscalationsByStateAndLevel()) this.set({ state: r.state, level: String(r.level) }, r.n);
    },
  });
  return registry;
}
