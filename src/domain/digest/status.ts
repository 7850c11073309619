import type { Rag, Tone, WorkstreamLine } from './model.ts';
import type { DigestEscalation, DigestSnapshot, StatusReport } from './snapshot.ts';
import { clipWords, pluralise } from './text.ts';
import { inWindow, type DigestWindow } from './week.ts';

/** Words a status reason may take: one line in a table cell. */
export const REASON_WORDS = 25;

export const STATUS_RULE =
  "Status is the owner's latest answer this week; an open urgent escalation makes it at least amber; overall is the worst, a missing report counting as amber.";

const RANK: Record<Rag, number> = { green: 0, amber: 1, red: 2 };

/** green / amber / red by the option's value; other values by the option's `escalate`. */
export function ragOf(report: Pick<StatusReport, 'value' | 'escalate'>): Rag {
  const v = report.value.toLowerCase();
  if (v === 'green' || v === 'amber' || v === 'red') return v;
  if (report.escalate === 'urgent') return 'red';
  return report.escalate === true ? 'amber' : 'green';
}

export function toneOf(status: Rag | null): Tone {
  return status === 'red' ? 'bad' : status === 'amber' ? 'warn' : status === 'green' ? 'good' : 'none';
}

export function worst(statuses: Rag[]): Rag {
  return statuses.reduce<Rag>((w, s) => (RANK[s] > RANK[w] ? s : w), 'green');
}

/** The owner's latest report for a workstream up to the end of the window. */
export function latestReport(snapshot: DigestSnapshot, workstreamKey: string, ownerId: string, to: Date): StatusReport | undefined {
  let latest: StatusReport | undefined;
  for (const r of snapshot.statusReports) {
    if (r.workstreamKey !== workstreamKey || r.personId !== ownerId || r.at.getTime() >= to.getTime()) continue;
    if (!latest || r.at.getTime() > latest.at.getTime()) latest = r;
  }
  return latest;
}

function openUrgent(escalations: readonly DigestEscalation[], workstreamKey: string): boolean {
  return escalations.some((e) => e.workstreamKey === workstreamKey && e.urgent && e.state !== 'resolved');
}

/** Sort key: red, amber, not reported, green; then by name. */
function badness(line: WorkstreamLine): number {
  if (line.status === 'red') return 0;
  if (line.status === 'amber') return 1;
  return line.status === null ? 2 : 3;
}

export function workstreamLines(snapshot: DigestSnapshot, window: DigestWindow): WorkstreamLine[] {
  const lines = snapshot.workstreams.map((ws): WorkstreamLine => {
    const report = latestReport(snapshot, ws.key, ws.ownerId, window.to);
    const reported = report !== undefined && inWindow(report.at, window.from, window.to);
    let status: Rag | null = reported ? ragOf(report) : null;
    let reason = reported ? clipWords(report.comment ?? report.label, REASON_WORDS) : `${ws.ownerName} has not reported this week`;
    if (!reported && report) reason += ` (last: ${ragOf(report)})`;
    const raised = openUrgent(snapshot.escalations, ws.key) && (status === null || status === 'green');
    if (raised) {
      status = 'amber';
      reason = `${reason}; open urgent escalation`;
    }
    return {
      key: ws.key,
      name: ws.name,
      owner: ws.ownerName,
      status,
      tone: toneOf(status),
      reported,
      reason,
      reportedAt: report?.at.toISOString(),
      raisedByEscalation: raised,
    };
  });
  return lines.sort((a, b) => badness(a) - badness(b) || a.name.localeCompare(b.name));
}

/** The worst workstream, a workstream without a report this week counting as amber. */
export function overallStatus(lines: readonly WorkstreamLine[]): Rag {
  return worst(lines.map((l) => l.status ?? 'amber'));
}

export function statusCounts(lines: readonly WorkstreamLine[]): string[] {
  const count = (s: Rag | null): number => lines.filter((l) => l.status === s).length;
  const parts: string[] = [];
  if (count('red')) parts.push(`${count('red')} red`);
  if (count('amber')) parts.push(`${count('amber')} amber`);
  if (count(null)) parts.push(`${count(null)} not reported`);
  if (count('green')) parts.push(`${count('green')} green`);
  return parts.length ? [`${pluralise(lines.length, 'workstream')}: ${parts.join(', ')}`] : [];
}
