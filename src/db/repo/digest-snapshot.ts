/** The weekly digest's reads, through Prisma (one snapshot per project and send instant, cached by the worker). */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { DigestEscalation, DigestSnapshot, StatusReport, SurveyMessage } from '../../domain/digest/snapshot.ts';
import { definedOnly } from '../../domain/defined-only.ts';
import { clipWords } from '../../domain/digest/text.ts';
import { digestWindow } from '../../domain/digest/week.ts';
import type { CommSpec, Plan, SurveyOption } from '../../domain/plan/model.ts';
import { WORKSTREAM_STATUS_KIND } from '../../domain/response.ts';

/** The reads a snapshot needs: a Prisma client or transaction. */
type DigestReader = Pick<PrismaClient, 'project' | 'workstream' | 'milestone' | 'message' | 'person' | 'response' | 'escalation' | 'comm' | '$queryRawUnsafe'>;

/** Words of the answerer's comment (and of the owner's acknowledgement note) an escalation line quotes. */
const ESCALATION_COMMENT_WORDS = 12;

/** Open and acknowledged escalations, and those resolved in the last two weeks, as the digest sees them. */
export async function loadEscalations(db: DigestReader, projectId: string, plan: Plan, since: Date): Promise<DigestEscalation[]> {
  const rows = await db.escalation.findMany({
    where: { projectId, OR: [{ state: { not: 'resolved' } }, { resolvedAt: { gte: since } }] },
    include: { person: { select: { name: true } } },
    orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
  });
  if (rows.length === 0) return [];
  const [holders, comms] = await Promise.all([
    db.person.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => [r.ownerId, ...(r.secondId ? [r.secondId] : [])]))] } },
      select: { id: true, key: true, name: true },
    }),
    db.comm.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.commId))] } }, select: { id: true, key: true, workstreamKey: true } }),
  ]);
  const holder = new Map(holders.map((p) => [p.id, p]));
  const commOf = new Map(comms.map((c) => [c.id, c]));
  return rows.map((r): DigestEscalation => {
    const comm = commOf.get(r.commId);
    const spec = plan.comms.find((c) => c.key === comm?.key);
    const owner = holder.get(r.level > 1 && r.secondId ? r.secondId : r.ownerId);
    const firstOwner = holder.get(r.ownerId);
    // A comm without a workstream escalates to the owner of the workstream the owner runs.
    const workstreamKey = comm?.workstreamKey ?? plan.workstreams.find((w) => w.owner === firstOwner?.key)?.key;
    const label = spec?.survey?.options.find((o) => o.value === r.option)?.label ?? r.option;
    // The digest's template context: a template may list an escalation's fields, so absent ones are left out.
    return definedOnly({
      id: r.id,
      workstreamKey: workstreamKey || undefined,
      ownerName: owner?.name ?? '?',
      level: r.level,
      state: r.state as DigestEscalation['state'],
      urgent: r.urgency === 'urgent',
      openedAt: r.openedAt,
      ackDueAt: r.escalateAt ?? undefined,
      acknowledgedAt: r.acknowledgedAt ?? undefined,
      acknowledgementNote: r.acknowledgementNote ? clipWords(r.acknowledgementNote, ESCALATION_COMMENT_WORDS) : undefined,
      summary: `${r.person.name} answered “${label}”${r.comment ? `: ${clipWords(r.comment, ESCALATION_COMMENT_WORDS)}` : ''}`,
    });
  });
}

/**
 * Messages that failed for good in the window, dated by the delivery log's time of their last
 * failing attempt (`failed`, or `fallback` to e-mail): the delivery use case's clock, like sentAt,
 * so `herald demo` and tests count in their own time. The message's "updatedAt" is the database's
 * now(), wall time, kept for spotting abandoned sends. Raw SQL because Prisma cannot filter on a
 * correlated max: the project's failed messages come through Message(status, dueAt), each one's
 * log through Delivery(messageId, at). No bench covers the digest; measured by hand (EXPLAIN
 * ANALYZE, 7 Dec 2026, a shared 2-core box) on 200,000 messages of which 4,000 failed (2%, far
 * above a real week) and 204,000 log rows: median 38 ms over 7 runs, against 11 ms counting by
 * updatedAt. A LATERAL join was no faster (60 ms). The digest is read once per project and
 * week, and cached.
 */
async function countFailed(db: DigestReader, projectId: string, from: Date, to: Date): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM (
       SELECT (SELECT max(d."at") FROM "Delivery" d WHERE d."messageId"=m."id" AND d."outcome" IN ('failed','fallback')) AS at
       FROM "Message" m WHERE m."projectId"=$1::uuid AND m."status"='failed') f
     WHERE f.at >= $2::timestamptz AND f.at < $3::timestamptz`,
    projectId,
    from.toISOString(),
    to.toISOString(),
  );
  return row?.n ?? 0;
}

function optionOf(comms: readonly CommSpec[], value: string): SurveyOption | undefined {
  for (const c of comms) {
    const o = c.survey?.options.find((x) => x.value === value);
    if (o) return o;
  }
  return undefined;
}

/**
 * Reads what the digest for the week ending at `now` needs, with ordinary Prisma reads: the week's
 * delivery counts are counted in the database; survey messages are read for two weeks (this one
 * and the one before, for the change in response rate).
 */
export async function loadDigestSnapshot(db: DigestReader, input: { projectId: string; plan: Plan; now: Date }): Promise<DigestSnapshot> {
  const { projectId, plan, now } = input;
  const w = digestWindow(now);
  const names = new Map(plan.people.map((p) => [p.id, p.name]));
  const statusComms = plan.comms.filter((c) => c.kind === WORKSTREAM_STATUS_KIND);
  const surveyComms = plan.comms.filter((c) => c.survey && c.kind !== WORKSTREAM_STATUS_KIND);

  const [workstreams, milestones, sent, failed, bounced, messages, escalations] = await Promise.all([
    db.workstream.findMany({ where: { projectId }, orderBy: { key: 'asc' } }),
    db.milestone.findMany({ where: { projectId }, include: { moves: true }, orderBy: { at: 'asc' } }),
    db.message.count({ where: { projectId, status: 'sent', sentAt: { gte: w.from, lt: w.to } } }),
    countFailed(db, projectId, w.from, w.to),
    db.person.findMany({
      where: { projectId, emailRejectedAt: { gte: w.from, lt: w.to } },
      select: { name: true, email: true, emailRejectedAt: true, emailRejectReason: true },
    }),
    surveyComms.length === 0
      ? Promise.resolve([])
      : db.message.findMany({
          where: { projectId, status: 'sent', sentAt: { gte: w.previousFrom, lt: w.to }, comm: { key: { in: surveyComms.map((c) => c.key) } } },
          select: {
            commId: true,
            occurrence: true,
            personId: true,
            sentAt: true,
            comm: { select: { key: true } },
            person: { select: { key: true, audiences: true } },
          },
        }),
    loadEscalations(db, projectId, plan, w.previousFrom),
  ]);

  const statusByIds = workstreams.map((ws) => ws.statusByPersonId).filter((id): id is string => id !== null);
  const answerers = statusByIds.length === 0 ? [] : await db.person.findMany({ where: { id: { in: statusByIds } }, select: { id: true, key: true } });
  const keyOfPerson = new Map(answerers.map((p) => [p.id, p.key]));
  const statusReports: StatusReport[] = [];
  for (const ws of workstreams) {
    if (ws.status === null || ws.statusAt === null) continue;
    const option = optionOf(statusComms, ws.status);
    statusReports.push({
      workstreamKey: ws.key,
      personId: (ws.statusByPersonId && keyOfPerson.get(ws.statusByPersonId)) ?? ws.ownerKey,
      value: ws.status,
      label: option?.label ?? ws.status,
      ...(option?.escalate === undefined ? {} : { escalate: option.escalate }),
      decision: option?.decision === true,
      ...(ws.statusComment ? { comment: ws.statusComment } : {}),
      at: ws.statusAt,
    });
  }

  return {
    project: { key: plan.project.key, name: plan.project.name, timezone: plan.project.timezone },
    workstreams: workstreams.map((ws) => ({ key: ws.key, name: ws.name, ownerId: ws.ownerKey, ownerName: names.get(ws.ownerKey) ?? ws.ownerKey })),
    statusReports,
    milestones: milestones.map((m) => ({
      key: m.key,
      label: m.label ?? m.key,
      at: m.at,
      ...(m.doneAt ? { doneAt: m.doneAt } : {}),
      moves: m.moves.map((mv) => ({ fromAt: mv.fromAt, toAt: mv.toAt, movedAt: mv.movedAt })),
    })),
    delivery: { sent, failed },
    bounces: bounced.map((p) => ({
      personName: p.name,
      email: p.email ?? '',
      at: p.emailRejectedAt as Date,
      ...(p.emailRejectReason ? { reason: p.emailRejectReason } : {}),
    })),
    surveyMessages: await surveyMessages(db, projectId, surveyComms, messages),
    escalations,
  };
}

interface SentSurvey {
  commId: string;
  occurrence: number;
  personId: string;
  sentAt: Date | null;
  comm: { key: string };
  person: { key: string; audiences: string[] };
}

/** One row per (comm, occurrence, person) — a survey sent over Slack and email counts once — with its answer. */
async function surveyMessages(db: DigestReader, projectId: string, comms: readonly CommSpec[], sent: readonly SentSurvey[]): Promise<SurveyMessage[]> {
  const byKey = new Map(comms.map((c) => [c.key, c]));
  const rows = new Map<string, SentSurvey>();
  for (const m of sent) {
    const id = `${m.commId}|${m.occurrence}|${m.personId}`;
    const seen = rows.get(id);
    if (!seen || (m.sentAt && seen.sentAt && m.sentAt < seen.sentAt)) rows.set(id, m);
  }
  if (rows.size === 0) return [];
  const responses = await db.response.findMany({
    where: { projectId, commId: { in: [...new Set(sent.map((m) => m.commId))] }, occurrence: { in: [...new Set(sent.map((m) => m.occurrence))] } },
    select: { commId: true, occurrence: true, personId: true, option: true, comment: true, receivedAt: true, createdAt: true },
  });
  const answers = new Map(responses.map((r) => [`${r.commId}|${r.occurrence}|${r.personId}`, r]));
  const out: SurveyMessage[] = [];
  for (const [id, m] of rows) {
    const comm = byKey.get(m.comm.key);
    if (!comm?.survey || !m.sentAt) continue;
    const r = answers.get(id);
    const option = r?.option ? comm.survey.options.find((o) => o.value === r.option) : undefined;
    out.push({
      commKey: comm.key,
      question: comm.survey.question,
      occurrence: m.occurrence,
      personId: m.person.key,
      audience: comm.audiences.find((a) => m.person.audiences.includes(a)) ?? comm.audiences[0] ?? 'everyone',
      sentAt: m.sentAt,
      ...(r && r.option
        ? {
            answer: {
              value: r.option,
              label: option?.label ?? r.option,
              ...(option?.escalate === undefined ? {} : { escalate: option.escalate }),
              ...(r.comment ? { comment: r.comment } : {}),
              // The first answer's time: the row is created by it (receivedAt moves with later changes).
              firstAt: r.createdAt < r.receivedAt ? r.createdAt : r.receivedAt,
              at: r.receivedAt,
            },
          }
        : {}),
    });
  }
  return out;
}
