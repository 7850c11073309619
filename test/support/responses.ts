/**
 * A project with sent survey messages to answer: test/fixtures/plans/responses.plan.yaml applied,
 * each manual comm fired once, and every message marked sent (Slack ones with a channel and ts,
 * as the worker stores them), without running a worker.
 */
import { applyPlan } from '../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { sendManual } from '../../src/app/send-manual.ts';
import type { Database } from '../../src/db/database.ts';

export const RESPONSES_PLAN = 'test/fixtures/plans/responses.plan.yaml';
export const RESPONSES_PROJECT = 'responses-test';

export interface SeededMessage {
  id: string;
  comm: string;
  person: string;
  personId: string;
  channel: 'slack' | 'email';
  occurrence: number;
  slackId: string | null;
  providerChannel: string | null;
  providerId: string | null;
}

export interface SeededResponses {
  projectId: string;
  /** `comm:person:channel` → the message (occurrence 1 of each manual comm). */
  messages: Map<string, SeededMessage>;
  message(comm: string, person: string, channel: 'slack' | 'email'): SeededMessage;
}

export async function seedResponses(db: Database, now = new Date()): Promise<SeededResponses> {
  const loaded = await loadPlanFile(RESPONSES_PLAN);
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now });
  for (const comm of ['checkin', 'status', 'tips', 'notice']) {
    await sendManual(db, { project: RESPONSES_PROJECT, comm, now, ignoreQuietHours: true });
  }
  const rows = await db.prisma.message.findMany({ include: { comm: true, person: true }, orderBy: { key: 'asc' } });
  const messages = new Map<string, SeededMessage>();
  let ts = 1_700_000_000;
  for (const r of rows) {
    const slack = r.channel === 'slack';
    const providerChannel = slack ? `D${r.person.key.toUpperCase().padEnd(8, '0')}` : null;
    const providerId = slack ? `${ts++}.000100` : `<${r.id}@herald.test>`;
    await db.prisma.message.update({ where: { id: r.id }, data: { status: 'sent', sentAt: now, providerId, providerChannel } });
    messages.set(`${r.comm.key}:${r.person.key}:${r.channel}`, {
      id: r.id,
      comm: r.comm.key,
      person: r.person.key,
      personId: r.personId,
      channel: r.channel as 'slack' | 'email',
      occurrence: r.occurrence,
      slackId: r.person.slackId,
      providerChannel,
      providerId,
    });
  }
  const projectId = rows[0]!.projectId;
  return {
    projectId,
    messages,
    message(comm, person, channel) {
      const m = messages.get(`${comm}:${person}:${channel}`);
      if (!m) throw new Error(`no seeded message ${comm}:${person}:${channel} (have ${[...messages.keys()].join(', ')})`);
      return m;
    },
  };
}

/**
 * Posts each seeded Slack message into the Slack sandbox with Herald's survey (or unsubscribe)
 * blocks, and stores the channel and ts on the message as the worker does, so clicks on it can
 * be answered and the message updated in place.
 */
export async function postSeededToSlack(
  db: Database,
  seed: SeededResponses,
  slackApiUrl: string,
): Promise<Map<string, { channel: string; ts: string; blocks: unknown[] }>> {
  const { WebClient } = await import('@slack/web-api');
  const { surveyBlocks, unsubscribeBlocks } = await import('../../src/templates/slack-blocks.ts');
  const client = new WebClient('xoxb-test', { slackApiUrl, retryConfig: { retries: 0 } });
  const posted = new Map<string, { channel: string; ts: string; blocks: unknown[] }>();
  for (const [key, m] of seed.messages) {
    if (m.channel !== 'slack' || !m.slackId) continue;
    const row = await db.prisma.message.findUniqueOrThrow({ where: { id: m.id }, include: { comm: true } });
    const spec = row.comm.spec as { survey?: Parameters<typeof surveyBlocks>[0] };
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: `${m.comm} for ${m.person}` } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Body of the message.' } },
      ...(spec.survey ? surveyBlocks(spec.survey, m.id) : []),
      ...(row.comm.optional ? unsubscribeBlocks('Responses test project', row.comm.kind, 'http://herald.test/u/x', m.id) : []),
    ];
    const r = await client.chat.postMessage({ channel: m.slackId, text: `${m.comm} for ${m.person}`, blocks: blocks as never });
    await db.prisma.message.update({ where: { id: m.id }, data: { providerChannel: r.channel!, providerId: r.ts! } });
    m.providerChannel = r.channel!;
    m.providerId = r.ts!;
    posted.set(key, { channel: r.channel!, ts: r.ts!, blocks });
  }
  return posted;
}
