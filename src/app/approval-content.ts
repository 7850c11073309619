import { createHash } from 'node:crypto';
import type { Channel, CommSpec, PersonSpec, Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { ApprovalVariant } from './ports.ts';
import { renderFor } from './render-message.ts';

export interface OccurrenceRef {
  index: number;
  seriesItem?: string | undefined;
  dueAt: Date;
}

/** Dates drawn into the hash's renders: a fixed Monday, so moving a milestone changes no hash. */
const FIXED_AT = '2001-01-01T09:00';
const FIXED_NOW = new Date('2001-01-01T00:00:00Z');

/**
 * What approvers sign off for one occurrence of a comm: every variant people will get (audience ×
 * channel × locale), each rendered for a sample recipient with its subject, and a hash of that content.
 * The hash renders each variant again for a made-up recipient with every date fixed, so it changes
 * when the words, data or templates change and not when a milestone moves or people come and go.
 */
export function approvalContent(
  engine: TemplateEngine,
  plan: Plan,
  comm: CommSpec,
  occ: OccurrenceRef,
  now: Date,
  publicUrl: string,
): { variants: ApprovalVariant[]; hash: string } {
  const variants: ApprovalVariant[] = [];
  const hashed: string[][] = [];
  const fixedPlan: Plan = { ...plan, milestones: plan.milestones.map((m) => ({ ...m, at: FIXED_AT })) };
  const at = occ.dueAt > now ? occ.dueAt : now;
  for (const { audience, channel, locale, sample } of variantsOf(plan, comm)) {
    const r = renderFor(engine, plan, comm, sample, occ, channel, at, publicUrl);
    variants.push({ audience, channel, locale, sample: sample.name, subject: r.subject, text: r.text });
    const stand: PersonSpec = { id: 'sample', name: 'Sam Sample', timezone: plan.project.timezone, audiences: [audience], locale };
    const h = renderFor(engine, fixedPlan, comm, stand, { ...occ, dueAt: FIXED_NOW }, channel, FIXED_NOW, 'https://herald.invalid');
    hashed.push([audience, channel, locale, h.subject, h.text]);
  }
  return { variants, hash: createHash('sha256').update(JSON.stringify(hashed)).digest('hex') };
}

/** The distinct (audience, channel, locale) a comm reaches, each with its first recipient in plan order. */
function variantsOf(plan: Plan, comm: CommSpec): Array<{ audience: string; channel: Channel; locale: string; sample: PersonSpec }> {
  const out = new Map<string, { audience: string; channel: Channel; locale: string; sample: PersonSpec }>();
  for (const person of plan.people) {
    // The audience whose variant a person gets (renderMessage): the first of the comm's they are in.
    const audience = comm.audiences.find((a) => person.audiences.includes(a));
    if (audience === undefined) continue;
    for (const choice of comm.channels) {
      const channel: Channel = choice === 'preferred' ? (person.slack ? 'slack' : 'email') : choice;
      const key = `${audience}|${channel}|${person.locale}`;
      if (!out.has(key)) out.set(key, { audience, channel, locale: person.locale, sample: person });
    }
  }
  return [...out.values()];
}
