/**
 * An escalation as its email link's confirm page shows it (src/http/escalation-links.ts): who
 * answered what, in which project and plan. One Prisma query.
 */
import { decodePlan } from './json-columns.ts';
import type { Plan } from '../../domain/plan/model.ts';
import type { Database } from '../database.ts';

export interface EscalationNotice {
  id: string;
  /** The level-1 owner and the level-2 escalation person: the only people its links act for. */
  ownerId: string;
  secondId: string | null;
  option: string;
  comment: string | null;
  state: string;
  level: number;
  /** Who answered. */
  person: { name: string };
  project: { name: string; plan: Plan };
  response: { comm: { key: string } };
}

export interface EscalationReads {
  notice(id: string): Promise<EscalationNotice | null>;
}

export function createEscalationReads(db: Pick<Database, 'prisma'>): EscalationReads {
  return {
    async notice(id) {
      const e = await db.prisma.escalation.findUnique({
        where: { id },
        select: {
          id: true,
          ownerId: true,
          secondId: true,
          option: true,
          comment: true,
          state: true,
          level: true,
          person: { select: { name: true } },
          project: { select: { name: true, plan: true } },
          response: { select: { comm: { select: { key: true } } } },
        },
      });
      return e && { ...e, project: { name: e.project.name, plan: decodePlan(e.project.plan) } };
    },
  };
}
