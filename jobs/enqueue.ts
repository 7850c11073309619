import type { Queue } from 'bullmq';
import type { ClaimedMessage } from '../src/db/repo/delivery-store.ts';
import type { Channel } from '../src/domain/plan/model.ts';
import { DELIVERY_SPECS, jobOptions } from './catalogue.ts';

/**
 * Adds delivery jobs with the message id as job id: adding a message that already has a
 * job is a no-op in BullMQ, so a message can never be queued twice.
 */
export async function enqueueMessages(queues: Readonly<Record<Channel, Queue>>, messages: readonly ClaimedMessage[], now: Date): Promise<void> {
  const byChannel = new Map<Channel, ClaimedMessage[]>();
  for (const m of messages) {
    const channel = m.channel as Channel;
    if (!queues[channel]) continue;
    const list = byChannel.get(channel);
    if (list) list.push(m);
    else byChannel.set(channel, [m]);
  }
  for (const [channel, list] of byChannel) {
    const spec = DELIVERY_SPECS[channel];
    await queues[channel].addBulk(
      list.map((m) => ({
        name: 'deliver',
        data: m.projectId ? { messageId: m.id, projectId: m.projectId } : { messageId: m.id },
        opts: { ...jobOptions(spec, { messageId: m.id }), delay: Math.max(0, m.dueAt.getTime() - now.getTime()) },
      })),
    );
  }
}
