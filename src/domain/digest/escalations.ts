import type { DecisionLine, EscalationLine } from './model.ts';
import type { DigestEscalation, DigestSnapshot, StatusReport } from './snapshot.ts';
import { latestReport } from './status.ts';
import { clipWords, pluralise } from './text.ts';
import { inWindow, type DigestWindow } from './week.ts';

const HOUR_MS = 3_600_000;
/** Words one decision line may take. */
export const DECISION_WORDS = 20;

export function ageText(hours: number): string {
  return hours < 24 ? pluralise(Math.max(0, Math.floor(hours)), 'hour') : pluralise(Math.floor(hours / 24), 'day');
}

const urgentThenOldest = (a: DigestEscalation, b: DigestEscalation): number =>
  Number(b.urgent) - Number(a.urgent) || a.openedAt.getTime() - b.openedAt.getTime();

export function openEscalations(snapshot: DigestSnapshot, now: Date): EscalationLine[] {
  const names = new Map(snapshot.workstreams.map((w) => [w.key, w.name]));
  return snapshot.escalations
    .filter((e): e is DigestEscalation & { state: 'open' | 'acknowledged' } => e.state !== 'resolved' && e.openedAt.getTime() <= now.getTime())
    .sort(urgentThenOldest)
    .map((e) => {
      const hours = (now.getTime() - e.openedAt.getTime()) / HOUR_MS;
      const workstream = e.workstreamKey === undefined ? undefined : (names.get(e.workstreamKey) ?? e.workstreamKey);
      return {
        id: e.id,
        summary: e.summary,
        workstream,
        owner: e.ownerName,
        level: e.level,
        state: e.state,
        ...(e.state === 'acknowledged' && e.acknowledgementNote ? { note: e.acknowledgementNote } : {}),
        urgent: e.urgent,
        openedAt: e.openedAt.toISOString(),
        age: ageText(hours),
        ageHours: Math.floor(hours),
      };
    });
}

/**
 * Decisions needed: escalations nobody acknowledged in time (urgent first, longest waiting first),
 * then this week's status answers whose option asks for a decision.
 */
export function decisionsNeeded(snapshot: DigestSnapshot, window: DigestWindow): DecisionLine[] {
  const now = window.to;
  const overdue = snapshot.escalations
    .filter((e) => e.state === 'open' && e.ackDueAt !== undefined && e.ackDueAt.getTime() < now.getTime())
    .sort((a, b) => Number(b.urgent) - Number(a.urgent) || (a.ackDueAt as Date).getTime() - (b.ackDueAt as Date).getTime())
    .map(
      (e): DecisionLine => ({
        kind: 'escalation',
        text: clipWords(`${e.summary}: not acknowledged by ${e.ownerName} (level ${e.level})`, DECISION_WORDS),
        since: (e.ackDueAt as Date).toISOString(),
        urgent: e.urgent,
      }),
    );
  const asks = snapshot.workstreams
    .map((ws) => ({ ws, report: latestReport(snapshot, ws.key, ws.ownerId, now) }))
    .filter((x): x is { ws: typeof x.ws; report: StatusReport } => x.report !== undefined && x.report.decision && inWindow(x.report.at, window.from, now))
    .sort((a, b) => a.report.at.getTime() - b.report.at.getTime())
    .map(
      ({ ws, report }): DecisionLine => ({
        kind: 'status',
        text: clipWords(`${ws.name}: ${report.comment ?? report.label} (${ws.ownerName})`, DECISION_WORDS),
        since: report.at.toISOString(),
        urgent: report.escalate === 'urgent',
      }),
    );
  return [...overdue, ...asks];
}
