/**
 * What the Slack listeners (src/http/slack/) read besides the use cases: where a sent message is,
 * and who pressed an escalation's button. Ordinary Prisma queries.
 */
import type { Database } from '../database.ts';

export interface MessageProvider {
  /** The Slack channel and ts stored when the message was sent. */
  providerChannel: string | null;
  providerId: string | null;
}

export interface SlackReads {
  /** Where the message was posted, or undefined when there is no such message. */
  messageProvider(messageId: string): Promise<MessageProvider | undefined>;
  /**
   * The person with this Slack user id who may act on the escalation (its owner or its level-2
   * person), or null when there is no such escalation or they are neither.
   */
  escalationActor(escalationId: string, slackUserId: string): Promise<{ id: string; name: string } | null>;
}

export function createSlackReads(db: Pick<Database, 'prisma'>): SlackReads {
  return {
    async messageProvider(messageId) {
      return (await db.prisma.message.findUnique({ where: { id: messageId }, select: { providerChannel: true, providerId: true } })) ?? undefined;
    },

    async escalationActor(escalationId, slackUserId) {
      const e = await db.prisma.escalation.findUnique({ where: { id: escalationId }, select: { projectId: true, ownerId: true, secondId: true } });
      if (!e) return null;
      return db.prisma.person.findFirst({
        where: { projectId: e.projectId, slackId: slackUserId, id: { in: [e.ownerId, ...(e.secondId ? [e.secondId] : [])] } },
        select: { id: true, name: true },
      });
    },
  };
}
