/**
 * The dashboard inbox's reads for assigning a mail by hand: the mail just assigned, the people to
 * pick from, a person's sent survey messages, and whose mail it probably is. Ordinary Prisma
 * queries; listing and showing the inbox are use cases (src/app/list-inbox.ts, show-inbound-mail.ts).
 */
import { decodeCommSpec } from './json-columns.ts';
import type { CommSpec } from '../../domain/plan/model.ts';
import type { Database } from '../database.ts';

export interface AssignedMail {
  subject: string | null;
  reason: string | null;
  outcome: string;
  projectId: string | null;
}

export interface SentSurveyMessage {
  id: string;
  occurrence: number;
  channel: string;
  sentAt: Date | null;
  comm: { key: string; spec: CommSpec };
}

export interface InboxReads {
  /** The mail's subject, reason, outcome and project, or null. */
  mail(id: string): Promise<AssignedMail | null>;
  /** The project's people by name, when there are at most `max` of them; else none. */
  peopleUpTo(projectId: string, max: number): Promise<Array<{ key: string; name: string }>>;
  /** The person with this plan id, or null. */
  personByKey(projectId: string, key: string): Promise<{ id: string; name: string } | null>;
  /** The person's latest sent comm messages (at most `limit`), newest first. */
  sentComms(projectId: string, personId: string, limit: number): Promise<SentSurveyMessage[]>;
  /** The plan id of the person the mail matched, else of the one person of the project whose address sent it. */
  likelySender(projectId: string, mailId: string): Promise<string | undefined>;
}

export function createInboxReads(db: Pick<Database, 'prisma'>): InboxReads {
  return {
    mail: (id) => db.prisma.inboundMail.findUnique({ where: { id }, select: { subject: true, reason: true, outcome: true, projectId: true } }),

    async peopleUpTo(projectId, max) {
      const count = await db.prisma.person.count({ where: { projectId } });
      return count <= max ? db.prisma.person.findMany({ where: { projectId }, select: { key: true, name: true }, orderBy: { name: 'asc' } }) : [];
    },

    personByKey: (projectId, key) => db.prisma.person.findFirst({ where: { projectId, key }, select: { id: true, name: true } }),

    async sentComms(projectId, personId, limit) {
      const rows = await db.prisma.message.findMany({
        where: { projectId, personId, kind: 'comm', status: 'sent' },
        select: { id: true, occurrence: true, channel: true, sentAt: true, comm: { select: { key: true, spec: true } } },
        orderBy: { sentAt: 'desc' },
        take: limit,
      });
      return rows.map((m) => ({ ...m, comm: { key: m.comm.key, spec: decodeCommSpec(m.comm.spec) } }));
    },

    async likelySender(projectId, mailId) {
      const row = await db.prisma.inboundMail.findUnique({ where: { id: mailId }, select: { personId: true, fromAddress: true } });
      if (row?.personId) return (await db.prisma.person.findUnique({ where: { id: row.personId }, select: { key: true } }))?.key;
      if (!row?.fromAddress) return undefined;
      const same = await db.prisma.person.findMany({
        where: { projectId, email: { equals: row.fromAddress, mode: 'insensitive' } },
        select: { key: true },
        take: 2,
      });
      return same.length === 1 ? same[0]!.key : undefined;
    },
  };
}
