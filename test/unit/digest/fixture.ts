import { computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import type { Digest } from '../../../src/domain/digest/model.ts';
import type { DigestSnapshot, SurveyMessage } from '../../../src/domain/digest/snapshot.ts';

/** Monday 18 Jan 2027 08:00 in Chicago: the digest's send instant in these tests. */
export const NOW = new Date('2027-01-18T14:00:00Z');
const DAY = 86_400_000;
/** `d(-2)` = two days before NOW; `d(-2, 3)` adds 3 hours. */
export const d = (days: number, hours = 0): Date => new Date(NOW.getTime() + days * DAY + hours * 3_600_000);

function survey(personId: string, audience: string, sentDaysAgo: number, answer?: Partial<SurveyMessage['answer']> & { value: string }): SurveyMessage {
  const sentAt = d(-sentDaysAgo);
  const labels: Record<string, string> = { good: 'All good', minor: 'Some issues', blocked: "I can't work" };
  const escalate: Record<string, true | 'urgent'> = { minor: true, blocked: 'urgent' };
  return {
    commKey: 'hypercare-checkin',
    question: 'How is your new mailbox working?',
    occurrence: sentDaysAgo > 7 ? 0 : 1,
    personId,
    audience,
    sentAt,
    ...(answer
      ? {
          answer: {
            label: labels[answer.value] ?? answer.value,
            ...(escalate[answer.value] ? { escalate: escalate[answer.value] } : {}),
            firstAt: answer.firstAt ?? new Date(sentAt.getTime() + 3_600_000),
            at: answer.at ?? new Date(sentAt.getTime() + 3_600_000),
            ...answer,
          },
        }
      : {}),
  };
}

/** The example project a week after go-live: one workstream of each kind of news. */
export function snapshot(): DigestSnapshot {
  return {
    project: { key: 'northwind-m365', name: 'Northwind Microsoft 365 migration', timezone: 'America/Chicago' },
    workstreams: [
      { key: 'identity', name: 'Identity & MFA (Entra ID)', ownerId: 'dana', ownerName: 'Dana Ruiz' },
      { key: 'exchange', name: 'Exchange Online mailbox migration', ownerId: 'raj', ownerName: 'Raj Patel' },
      { key: 'teams', name: 'Teams & SharePoint', ownerId: 'lee', ownerName: 'Lee Chen' },
      { key: 'endpoint', name: 'Intune endpoint management', ownerId: 'sam', ownerName: 'Sam Okafor' },
    ],
    statusReports: [
      // identity: green last week, amber with a decision this week.
      { workstreamKey: 'identity', personId: 'dana', value: 'green', label: 'On track', decision: false, at: d(-10) },
      {
        workstreamKey: 'identity',
        personId: 'dana',
        value: 'amber',
        label: 'At risk',
        escalate: true,
        decision: true,
        comment: 'MFA at 71%; approve a hard deadline for the last 50 users',
        at: d(-3),
      },
      // exchange: red this week; a later answer by someone else does not count.
      {
        workstreamKey: 'exchange',
        personId: 'raj',
        value: 'red',
        label: 'Blocked',
        escalate: 'urgent',
        decision: false,
        comment: 'Archive mailboxes over 100 GB fail to migrate',
        at: d(-3, 2),
      },
      { workstreamKey: 'exchange', personId: 'dana', value: 'green', label: 'On track', decision: false, at: d(-1) },
      // teams: green this week but an urgent escalation is open.
      { workstreamKey: 'teams', personId: 'lee', value: 'green', label: 'On track', decision: false, at: d(-3) },
      // endpoint: last report was two weeks ago.
      { workstreamKey: 'endpoint', personId: 'sam', value: 'green', label: 'On track', decision: false, at: d(-12) },
    ],
    milestones: [
      { key: 'pilot', label: 'Pilot group migrated', at: d(-13), doneAt: d(-5), moves: [] },
      {
        key: 'cutover',
        label: 'Mailbox cutover weekend',
        at: d(4),
        moves: [
          { fromAt: d(-3), toAt: d(1), movedAt: d(-20) },
          { fromAt: d(1), toAt: d(4), movedAt: d(-2) },
        ],
      },
      { key: 'go-live', label: 'Go-live', at: d(7), moves: [] },
      { key: 'hypercare-end', label: 'End of hypercare', at: d(25), moves: [] },
      { key: 'kickoff', label: 'Project kickoff', at: d(-48), doneAt: d(-48), moves: [] },
    ],
    delivery: { sent: 412, failed: 3 },
    bounces: [
      { personName: 'Dee Brooks', email: 'dee.brooks@northwind.example', reason: '550 mailbox unavailable', at: d(-2) },
      { personName: 'Old Bounce', email: 'old@northwind.example', at: d(-4) },
    ],
    surveyMessages: [
      // end-users this week: 4 sent, 3 answered (good, minor with comment, blocked with comment).
      survey('bea', 'end-users', 2, { value: 'good' }),
      survey('cai', 'end-users', 2, { value: 'minor', comment: 'Shared calendars are slow to open', at: d(-1) }),
      survey('dev', 'end-users', 2, { value: 'blocked', comment: 'Outlook keeps asking for my password', at: d(-2, 2) }),
      survey('eli', 'end-users', 2),
      // end-users last week: 2 sent, 2 answered before the week ended -> 100%.
      survey('bea', 'end-users', 9, { value: 'good' }),
      survey('cai', 'end-users', 9, { value: 'good', comment: 'Looking forward to it', at: d(-8) }),
      // service-desk this week only: 1 sent, 1 answered with a plain comment.
      survey('sd1', 'service-desk', 3, { value: 'good', comment: 'Queue is calm', at: d(-2, 5) }),
    ],
    escalations: [
      {
        id: 'e1',
        workstreamKey: 'teams',
        ownerName: 'Maria Lopez',
        level: 2,
        state: 'open',
        urgent: true,
        openedAt: d(-4),
        ackDueAt: d(-4, 4),
        summary: 'Dev Kim answered “I can’t work”',
      },
      {
        id: 'e2',
        workstreamKey: 'exchange',
        ownerName: 'Raj Patel',
        level: 1,
        state: 'acknowledged',
        urgent: false,
        openedAt: d(-1, -5),
        ackDueAt: d(0, -1),
        acknowledgedAt: d(0, -3),
        summary: 'Cai Wu answered “Some issues”',
      },
      { id: 'e3', workstreamKey: 'identity', ownerName: 'Dana Ruiz', level: 1, state: 'resolved', urgent: true, openedAt: d(-6), summary: 'resolved one' },
      {
        id: 'e4',
        ownerName: 'Dana Ruiz',
        level: 1,
        state: 'open',
        urgent: false,
        openedAt: d(0, -5),
        ackDueAt: d(1),
        summary: 'Bea Meyer answered “Some issues”',
      },
    ],
  };
}

/** The sections every rendering must show, in order (the email marks each with data-section). */
export const SECTIONS = ['overall', 'workstreams', 'decisions', 'escalations', 'milestones', 'surveys', 'comments', 'delivery'] as const;

/** A digest with far more of everything than a real week has. */
export function hugeDigest(): Digest {
  const s = snapshot();
  const long = 'This comment is long on purpose so that the Slack sections fill up quickly and must be split '.repeat(3);
  for (let i = 0; i < 60; i++) {
    s.workstreams.push({ key: `ws${i}`, name: `Workstream number ${i} with a long name`, ownerId: `o${i}`, ownerName: `Owner ${i}` });
    s.statusReports.push({
      workstreamKey: `ws${i}`,
      personId: `o${i}`,
      value: 'red',
      label: 'Blocked',
      escalate: 'urgent',
      decision: true,
      comment: long,
      at: d(-2),
    });
    s.escalations.push({
      id: `x${i}`,
      workstreamKey: `ws${i}`,
      ownerName: `Owner ${i}`,
      level: 1,
      state: 'open',
      urgent: true,
      openedAt: d(-3),
      ackDueAt: d(-2),
      summary: long,
    });
    s.bounces.push({ personName: `Person ${i}`, email: `a.very.long.address.number.${i}@subsidiary.northwind.example`, at: d(-1) });
    s.surveyMessages.push({
      commKey: `survey-${i % 12}`,
      question: `Question ${i % 12}?`,
      occurrence: 0,
      personId: `p${i}`,
      audience: `audience-${i % 5}`,
      sentAt: d(-2),
      answer: { value: 'bad', label: 'Bad', escalate: true, comment: long, firstAt: d(-2), at: d(-1) },
    });
    s.milestones.push({ key: `m${i}`, label: `Milestone ${i}`, at: d(3), moves: [{ fromAt: d(-1), toAt: d(3), movedAt: d(-1) }] });
  }
  return computeDigest(s, NOW);
}
