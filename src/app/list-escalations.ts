import type { PlanWords } from '../domain/plan/comm-title.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { StoreDeps } from './ports.ts';

/** One row of `herald escalations --format json`. */
export interface EscalationEntry {
  id: string;
  comm: string;
  occurrence: number;
  /** The person who answered. */
  person: string;
  option: string;
  comment: string | null;
  urgency: 'urgent' | 'normal';
  /** Who holds it now: the owner at level 1, the workstream's escalation person at level 2. */
  owner: string;
  level: number;
  state: 'open' | 'acknowledged' | 'resolved';
  openedAt: string;
  /** Seconds since it was opened (until resolved, for resolved ones). */
  ageSeconds: number;
  escalateAt: string | null;
  /** When it went to level 2. */
  escalatedAt: string | null;
  acknowledgedAt: string | null;
  /** The note given with the acknowledgement, if any. */
  acknowledgementNote: string | null;
  resolvedAt: string | null;
  /** The note given with the resolution (what was done), if any. */
  resolutionNote: string | null;
}

export async function listEscalations({ stores }: StoreDeps, q: { project: string; open?: boolean; now: Date }): Promise<EscalationEntry[]> {
  const projectId = await stores.projects.findId(q.project);
  if (!projectId) throw new NotFoundError(`project "${q.project}"`, 'apply a plan first: herald apply PLAN');
  const rows = await stores.escalations.list(projectId, q.open ?? false);
  const keyOf = await stores.escalations.personKeys([...new Set(rows.flatMap((r) => [r.ownerId, ...(r.secondId ? [r.secondId] : [])]))]);
  return rows.map((r) => ({
    id: r.id,
    comm: r.commKey,
    occurrence: r.occurrence,
    person: r.personKey,
    option: r.option,
    comment: r.comment,
    urgency: r.urgency as 'urgent' | 'normal',
    owner: keyOf.get(r.level > 1 && r.secondId ? r.secondId : r.ownerId) ?? '?',
    level: r.level,
    state: r.state as EscalationEntry['state'],
    openedAt: r.openedAt.toISOString(),
    ageSeconds: Math.max(0, Math.round(((r.resolvedAt ?? q.now).getTime() - r.openedAt.getTime()) / 1000)),
    escalateAt: r.escalateAt?.toISOString() ?? null,
    escalatedAt: r.escalatedAt?.toISOString() ?? null,
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    acknowledgementNote: r.acknowledgementNote,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    resolutionNote: r.resolutionNote,
  }));
}

/** A notice that carried an escalation: the owner told, the level-2 person told, or the person who answered told of an acknowledgement. */
export interface EscalationNoticeEntry {
  role: 'owner' | 'second' | 'answerer';
  /** The key of the person it went to. */
  person: string;
  channel: string;
  status: string;
  dueAt: string;
  sentAt: string | null;
}

/** Each escalation's notices, oldest first, by escalation id (none yet: absent). */
export async function escalationNotices({ stores }: StoreDeps, escalationIds: readonly string[]): Promise<Map<string, EscalationNoticeEntry[]>> {
  const out = new Map<string, EscalationNoticeEntry[]>();
  if (escalationIds.length === 0) return out;
  for (const n of await stores.escalations.notices(escalationIds)) {
    const list = out.get(n.escalationId) ?? [];
    list.push({
      role: n.role as EscalationNoticeEntry['role'],
      person: n.personKey,
      channel: n.channel,
      status: n.status,
      dueAt: n.dueAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
    });
    out.set(n.escalationId, list);
  }
  return out;
}

/** "3d 4h", "2h 05m", "7m". */
export function formatAge(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (d > 0) return `${d}d ${h % 24}h`;
  if (h > 0) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${m}m`;
}

export function formatEscalations(list: readonly EscalationEntry[], words: PlanWords): string {
  if (list.length === 0) return 'no escalations';
  const head = `${'id'.padEnd(8)} ${'state'.padEnd(12)} ${'lvl'} ${'age'.padStart(7)}  ${'owner'.padEnd(20)} ${'urgency'.padEnd(7)} answer`;
  const oneLine = (text: string): string => text.replace(/\s+/g, ' ').slice(0, 80);
  // Notes go on their own indented lines under the escalation, so the columns stay aligned.
  const lines = list.flatMap((e) => [
    `${e.id.slice(0, 8)} ${e.state.padEnd(12)} ${String(e.level).padStart(3)} ` +
      `${formatAge(e.ageSeconds).padStart(7)}  ${words.person(e.owner).padEnd(20)} ${e.urgency.padEnd(7)} ` +
      `${words.person(e.person)} on ${words.occurrence(e.comm, e.occurrence)}: ${words.option(e.comm, e.option)}${e.comment ? ` — ${oneLine(e.comment)}` : ''}`,
    ...(e.acknowledgementNote ? [`${' '.repeat(9)}acknowledged: ${oneLine(e.acknowledgementNote)}`] : []),
    ...(e.resolutionNote ? [`${' '.repeat(9)}resolved: ${oneLine(e.resolutionNote)}`] : []),
  ]);
  return [head, ...lines].join('\n');
}
