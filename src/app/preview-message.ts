import type { Channel, CommSpec, PersonSpec, Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { RenderedMessage } from '../templates/rendered.ts';
import { buildDigest } from './build-digest.ts';
import { asReminder } from './reminder-delivery.ts';
import { renderFor, type RenderTarget } from './render-message.ts';
import type { StoreDeps } from './ports.ts';

export interface MessagePreviewInput {
  projectId: string;
  plan: Plan;
  comm: CommSpec;
  person: PersonSpec;
  occurrence: RenderTarget['occurrence'];
  channels: readonly Channel[];
  /** `reminder` renders it as the survey reminder the worker sends. */
  kind?: string;
  now: Date;
  publicUrl: string;
}

/**
 * One comm occurrence for one person, rendered for each channel with placeholder links, as the
 * dashboard's preview and calendar show it. A digest is computed from stored data at its due time,
 * as the worker does (deliver-message.ts), so it shows the week it will cover.
 */
export async function previewMessage(db: StoreDeps, engine: TemplateEngine, input: MessagePreviewInput): Promise<Partial<Record<Channel, RenderedMessage>>> {
  const { plan, comm, person, occurrence } = input;
  const digest = comm.kind === 'digest' ? await buildDigest(db, { projectId: input.projectId, plan, now: occurrence.dueAt }) : undefined;
  // The worker renders at send time: a future occurrence is drawn as of its due time (dates in the text agree with it).
  const at = occurrence.dueAt > input.now ? occurrence.dueAt : input.now;
  const out: Partial<Record<Channel, RenderedMessage>> = {};
  for (const channel of input.channels) {
    const r = renderFor(engine, plan, comm, person, occurrence, channel, at, input.publicUrl, digest);
    out[channel] = input.kind === 'reminder' ? asReminder(r) : r;
  }
  return out;
}
