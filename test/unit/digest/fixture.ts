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
      { workstreamKey: 'identity', personId: 'dana', value: 'amber', label: 'At risk', escalate: true, decision: true, comment: 'MFA at 71%; approve a hard deadline for the last 50 users', at: d(-3) },
      // exchange: red this week; a later answer by someone else does not count.
      { workstreamKey: 'exchange', personId: 'raj', value: 'red', label: 'Blocked', escalate: 'urgent', decision: false, comment: 'Archive mailboxes over 100 GB fail to migrate', at: d(-3, 2) },
      { workstreamKey: 'exchange', personId: 'dana', value: 'green', label: 'On track', decision: false, at: d(-1) },
      // teams: green this week but an urgent escalation is open.
      { workstreamKey: 'teams', personId: 'lee', value: 'green', label: 'On track', decision: false, at: d(-3) },
      // endpoint: last report was two weeks ago.
      { workstreamKey: 'endpoint', personId: 'sam', value: 'green', label: 'On track', decision: false, at: d(-12) },
    ],
    milestones: [
      { key: 'pilot', label: 'Pilot group migrated', at: d(-13), doneAt: d(-5), moves: [] },
      { key: 'cutover', label: 'Mailbox cutover weekend', at: d(4), moves: [
        { fromAt: d(-3), toAt: d(1), movedAt: d(-20) },
        { fromAt: d(1), toAt: d(4), movedAt: d(-2) },
      ] },
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
      { id: 'e1', workstreamKey: 'teams', ownerName: 'Maria Lopez', level: 2, state: 'open', urgent: true, openedAt: d(-4), ackDueAt: d(-4, 4), summary: 'Dev Kim answered “I can’t work”' },
      { id: 'e2', workstreamKey: 'exchange', ownerName: 'Raj Patel', level: 1, state: 'acknowledged', urgent: false, openedAt: d(-1, -5), ackDueAt: d(0, -1), acknowledgedAt: d(0, -3), summary: 'Cai Wu answered “Some issues”' },
      { id: 'e3', workstreamKey: 'identity', ownerName: 'Dana Ruiz', level: 1, state: 'resolved', urgent: true, openedAt: d(-6), summary: 'resolved one' },
      { id: 'e4', ownerName: 'Dana Ruiz', level: 1, state: 'open', urgent: false, openedAt: d(0, -5), ackDueAt: d(1), summary: 'Bea Meyer answered “Some issues”' },
    ],
  };
}
