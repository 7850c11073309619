import type { Queue } from 'bullmq';
import type { ClaimedMessage } from '../src/db/repo/delivery-store.ts';
import type { Channel } from '../src/domain/plan/model.ts';
import { deliveryJobOptions } from './catalogue.ts';

/**
 * Adds delivery jobs with the message id as job id: adding a message that already has a
 * job is a no-op in BullMQ, so a message can never be queued twice.
 */
export async function enqueueMessages(queues: Readonly<Record<Channel, Queue>>, messages: readonly ClaimedMessage[], now: Date): Promise<void> {
  const byChannel = new Map<Queue, ClaimedMessage[]>();
  for (const m of messages) {
    const q = queues[m.channel as Channel];
    if (!q) continue;
    const list = byChannel.get(q);
    if (list) list.push(m);
    else byChannel.set(q, [m]);
  }
  for (const [queue, list] of byChannel) {
    await queue.addBulk(
      list.map((m) => ({
        name: 'deliver',
        data: { messageId: m.id },
        opts: { ...deliveryJobOptions, jobId: m.id, delay: Math.max(0, m.dueAt.getTime() - now.getTime()) },
      })),
    );
  }
}
