/**
 * A project whose survey went out by email for real: test/fixtures/plans/replies.plan.yaml
 * applied, its manual comms fired and delivered by a worker to the local SMTP sink, so every
 * person has a sent message with its real Message-ID and signed Reply-To to answer.
 */
import { applyPlan } from '../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { sendManual } from '../../src/app/send-manual.ts';
import type { Database } from '../../src/db/database.ts';
import { startHarness, waitForQuiet, type Harness, type TestClock } from './delivery.ts';

export const REPLIES_PLAN = 'test/fixtures/plans/replies.plan.yaml';
export const REPLIES_PROJECT = 'replies-test';
/** When the fixtures' mails were written (their out-of-office dates are in January 2027). */
export const REPLIES_NOW = new Date('2027-01-19T10:00:00Z');

export interface SentMail {
  messageId: string;
  personId: string;
  email: string;
  /** The Message-ID header Herald sent. */
  providerId: string;
  /** The signed, plus-addressed Reply-To. */
  replyTo: string;
  /** The SMTP envelope sender: the signed return path (VERP) bounces must come back to. */
  returnPath: string;
}

export interface SentReplies {
  harness: Harness;
  projectId: string;
  /** The `checkin` survey (or `notice`) sent to a person. */
  sent(person: string, comm?: 'checkin' | 'notice'): SentMail;
}

export async function sendForReplies(db: Database & { url?: string }, clock: TestClock): Promise<SentReplies> {
  clock.set(REPLIES_NOW);
  const loaded = await loadPlanFile(REPLIES_PLAN);
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: clock.now() });
  for (const comm of ['checkin', 'notice']) await sendManual(db, { project: REPLIES_PROJECT, comm, now: clock.now(), ignoreQuietHours: true });
  const harness = await startHarness(db, { clock });
  await harness.startWorker();
  const counts = await waitForQuiet(db, 30_000);
  if (Object.keys(counts).some((k) => k !== 'sent')) throw new Error(`not every survey was sent: ${JSON.stringify(counts)}`);
  await harness.worker!.close();
  const rows = await db.prisma.message.findMany({ include: { person: true, comm: true } });
  const byId = new Map(harness.smtp.messages.map((m) => [m.headers['x-herald-message-id'], m]));
  const sent = new Map<string, SentMail>();
  for (const r of rows) {
    const mail = byId.get(r.id);
    if (!mail || !r.providerId) throw new Error(`message ${r.key} did not reach the SMTP sink`);
    const replyTo = /<([^>]+)>/.exec(mail.headers['reply-to'] ?? '')?.[1] ?? mail.headers['reply-to'] ?? '';
    sent.set(`${r.comm.key}:${r.person.key}`, {
      messageId: r.id,
      personId: r.personId,
      email: r.person.email!,
      providerId: r.providerId,
      replyTo,
      returnPath: mail.envelope.mailFrom,
    });
  }
  return {
    harness,
    projectId: rows[0]!.projectId,
    sent(person, comm = 'checkin') {
      const s = sent.get(`${comm}:${person}`);
      if (!s) throw new Error(`nothing sent to ${person} for ${comm}`);
      return s;
    },
  };
}
