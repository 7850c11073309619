import type { DecisionLine, Digest, EscalationLine, MovedMilestone, WorkstreamLine } from './model.ts';
import { milestoneSections } from './milestones.ts';
import type { DigestSnapshot } from './snapshot.ts';
import { decisionsNeeded, openEscalations } from './escalations.ts';
import { COMMENT_RULE, chosenComments, surveyLines } from './surveys.ts';
import { STATUS_RULE, overallStatus, statusCounts, toneOf, workstreamLines } from './status.ts';
import { pluralise, wordCount } from './text.ts';
import { digestWindow, isoWeekOf } from './week.ts';

/**
 * Words of prose the model may add. The built-in templates add about 90 words (headings, greeting, the comment rule, dates, sign-off) of their own around
 * it, which keeps the digest within the ~250 words of prose (plus tables) a sponsor reads in three minutes.
 */
export const PROSE_BUDGET = 140;
export const MAX_DECISIONS = 5;
export const MAX_BOUNCES = 10;
export const MAX_ESCALATIONS = 10;

function headline(
  ws: readonly WorkstreamLine[],
  decisions: readonly DecisionLine[],
  escalations: readonly EscalationLine[],
  moved: readonly MovedMilestone[],
): string {
  const parts = [...statusCounts(ws)];
  if (decisions.length) parts.push(`${pluralise(decisions.length, 'decision')} needed`);
  const urgent = escalations.filter((e) => e.urgent).length;
  if (escalations.length) parts.push(`${pluralise(escalations.length, 'open escalation')}${urgent ? ` (${urgent} urgent)` : ''}`);
  const movedNow = moved.filter((m) => m.movedThisWeek).length;
  if (movedNow) parts.push(`${pluralise(movedNow, 'milestone')} moved this week`);
  return parts.length ? `${parts.join('; ')}.` : 'Nothing to report this week.';
}

/** The weekly digest for the seven days ending at `now` (the digest's send instant). */
export function computeDigest(snapshot: DigestSnapshot, now: Date): Digest {
  const window = digestWindow(now);
  const workstreams = workstreamLines(snapshot, window);
  const milestones = milestoneSections(snapshot.milestones, window);
  const allDecisions = decisionsNeeded(snapshot, window);
  const decisions = allDecisions.slice(0, MAX_DECISIONS);
  const escalations = openEscalations(snapshot, now);
  const comments = chosenComments(snapshot.surveyMessages, window);
  const bounces = [...snapshot.bounces].sort((a, b) => b.at.getTime() - a.at.getTime());
  const status = overallStatus(workstreams);
  const overall = { status, tone: toneOf(status), headline: headline(workstreams, allDecisions, escalations, milestones.moved) };

  // Within the prose budget: the headline and decisions stay; comments go from the end.
  const fixed = wordCount(overall.headline) + decisions.reduce((n, d) => n + wordCount(d.text), 0);
  let words = fixed + comments.reduce((n, c) => n + wordCount(c.text), 0);
  while (comments.length > 0 && words > PROSE_BUDGET) words -= wordCount((comments.pop() as { text: string }).text);

  return {
    project: { key: snapshot.project.key, name: snapshot.project.name },
    week: isoWeekOf(now, snapshot.project.timezone),
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    overall,
    workstreams,
    milestones,
    decisions,
    decisionsMore: allDecisions.length - decisions.length,
    delivery: {
      sent: snapshot.delivery.sent,
      failed: snapshot.delivery.failed,
      bounced: bounces.slice(0, MAX_BOUNCES).map((b) => ({ name: b.personName, email: b.email, at: b.at.toISOString(), reason: b.reason || undefined })),
      bouncedMore: Math.max(0, bounces.length - MAX_BOUNCES),
    },
    surveys: surveyLines(snapshot.surveyMessages, window),
    comments,
    escalations: escalations.slice(0, MAX_ESCALATIONS),
    escalationsMore: Math.max(0, escalations.length - MAX_ESCALATIONS),
    rules: { comments: COMMENT_RULE, status: STATUS_RULE },
    prose: { words, budget: PROSE_BUDGET },
  };
}
