/**
 * Opt out: a person stops receiving one optional comm, or every optional comm of the project
 * (stored as comm key `*`). Mandatory notices cannot be opted out of. Delivery skips opted-out
 * optional messages (src/app/deliver-message.ts); doing it twice changes nothing.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import { HeraldError } from '../domain/errors.ts';

export const ALL_OPTIONAL = '*';

export interface OptOutInput {
  personId: string;
  commKey: string;
  commOptional: boolean;
  scope: 'comm' | 'all';
}

export async function optOut(prisma: PrismaClient, input: OptOutInput): Promise<{ created: boolean; commKey: string }> {
  if (!input.commOptional) {
    throw new HeraldError('OPT_OUT_MANDATORY', `comm "${input.commKey}" is a mandatory notice and cannot be unsubscribed from`, {
      hint: 'only comms marked optional: true in the plan can be unsubscribed from',
    });
  }
  const commKey = input.scope === 'all' ? ALL_OPTIONAL : input.commKey;
  const r = await prisma.optOut.createMany({ data: [{ personId: input.personId, commKey }], skipDuplicates: true });
  return { created: r.count === 1, commKey };
}

/** Whether a person gets no more messages of this optional comm. */
export async function isOptedOut(prisma: PrismaClient, personId: string, commKey: string): Promise<boolean> {
  return (await prisma.optOut.count({ where: { personId, commKey: { in: [commKey, ALL_OPTIONAL] } } })) > 0;
}
