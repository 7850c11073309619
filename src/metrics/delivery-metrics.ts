/**
 * The worker's own metrics: send latency and lateness are only seen where the send happens, and
 * each `herald worker` process serves them on WORKER_METRICS_PORT for Prometheus to scrape (one
 * target per worker; sum over instances in queries). Nothing is pushed to Redis or the database.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryObserver } from '../app/deliver-message.ts';

export interface DeliveryMetrics {
  registry: Registry;
  observer: DeliveryObserver;
}

export function createDeliveryMetrics(): DeliveryMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'herald_worker_' });
  const sends = new Counter({
    name: 'herald_sends_total',
    help: 'Send attempts finished by this worker, by channel and outcome (sent, retry, failed, fallback, skipped)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'herald_send_duration_seconds',
    help: 'Time the channel took to accept one message (Slack API call or SMTP transaction)',
    labelNames: ['channel'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'herald_send_lateness_seconds',
    help: 'How long after its due time a message was sent (0 = on time)',
    labelNames: ['channel'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600, 4 * 3600],
    registers: [registry],
  });
  return {
    registry,
    observer: {
      outcome(o) {
        sends.inc({ channel: o.channel, outcome: o.outcome });
        if (o.outcome !== 'sent') return;
        if (o.durationMs !== undefined) latency.observe({ channel: o.channel }, o.durationMs / 1000);
        if (o.latenessMs !== undefined) lateness.observe({ channel: o.channel }, Math.max(0, o.latenessMs) / 1000);
      },
    },
  };
}
