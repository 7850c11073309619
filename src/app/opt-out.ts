/**
 * Opt out: a person stops receiving one optional comm, or every optional comm of the project
 * (stored as comm key `*`). Mandatory notices cannot be opted out of. Delivery skips opted-out
 * optional messages (src/app/deliver-message.ts); doing it twice changes nothing.
 */
import { HeraldError } from '../domain/errors.ts';
import type { StoreDeps } from './ports.ts';

export const ALL_OPTIONAL = '*';

export interface OptOutInput {
  personId: string;
  commKey: string;
  commOptional: boolean;
  scope: 'comm' | 'all';
  /** For the audit log: the project's key, the person's plan id (who acts), when, and through what (slack, link). */
  audit: { projectKey: string; personKey: string; at: Date; via: string };
}

export async function optOut({ stores }: StoreDeps, input: OptOutInput): Promise<{ created: boolean; commKey: string }> {
  if (!input.commOptional) {
    throw new HeraldError('OPT_OUT_MANDATORY', `comm "${input.commKey}" is a mandatory notice and cannot be unsubscribed from`, {
      hint: 'only comms marked optional: true in the plan can be unsubscribed from',
    });
  }
  const commKey = input.scope === 'all' ? ALL_OPTIONAL : input.commKey;
  const a = input.audit;
  return stores.transaction(async (tx) => {
    const created = await tx.optOuts.add(input.personId, commKey);
    if (created) {
      await tx.audit.append({
        at: a.at,
        actor: a.personKey,
        action: 'person.opted-out',
        projectKey: a.projectKey,
        ref: commKey === ALL_OPTIONAL ? 'all optional comms' : commKey,
        detail: { person: a.personKey, via: a.via },
      });
    }
    return { created, commKey };
  });
}

/**
 * Opt back in: the person gets this optional comm again, and, when they had opted out of every
 * optional comm, those again too (the link they use is one comm's, but the page says what it undoes).
 * Messages already skipped stay skipped; the next ones go out. Doing it twice changes nothing.
 */
export async function optIn({ stores }: StoreDeps, input: Omit<OptOutInput, 'commOptional' | 'scope'>): Promise<{ removed: number }> {
  const a = input.audit;
  return stores.transaction(async (tx) => {
    const removed = await tx.optOuts.remove(input.personId, [input.commKey, ALL_OPTIONAL]);
    if (removed > 0) {
      await tx.audit.append({
        at: a.at,
        actor: a.personKey,
        action: 'person.opted-in',
        projectKey: a.projectKey,
        ref: input.commKey,
        detail: { person: a.personKey, via: a.via },
      });
    }
    return { removed };
  });
}

/** Whether a person gets no more messages of this optional comm. */
export async function isOptedOut({ stores }: StoreDeps, personId: string, commKey: string): Promise<boolean> {
  return stores.optOuts.any(personId, [commKey, ALL_OPTIONAL]);
}
