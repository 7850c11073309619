import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROSE_BUDGET, computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import { percents } from '../../../src/domain/digest/surveys.ts';
import { wordCount } from '../../../src/domain/digest/text.ts';
import { NOW, d, snapshot } from './fixture.ts';

const iso = (x: Date): string => x.toISOString();

describe('computeDigest: window and overall status', () => {
  const digest = computeDigest(snapshot(), NOW);

  it('covers the seven days ending at the send instant, named by the ISO week it is sent in', () => {
    expect(digest.window).toEqual({ from: iso(d(-7)), to: iso(NOW) });
    expect(digest.week).toBe('2027-W03');
  });

  it('overall is the worst workstream; the headline counts the bad news first', () => {
    expect(digest.overall).toEqual({
      status: 'red',
      tone: 'bad',
      headline: '4 workstreams: 1 red, 2 amber, 1 not reported; 2 decisions needed; 3 open escalations (1 urgent); 1 milestone moved this week.',
    });
  });

  it('a workstream not reported this week counts as amber overall', () => {
    const s = snapshot();
    s.statusReports = s.statusReports.filter((r) => r.workstreamKey === 'endpoint');
    s.workstreams = s.workstreams.filter((w) => w.key === 'endpoint');
    s.escalations = [];
    expect(computeDigest(s, NOW).overall.status).toBe('amber');
  });

  it('with nothing stored it says so and is green', () => {
    const s = {
      ...snapshot(),
      workstreams: [],
      statusReports: [],
      milestones: [],
      bounces: [],
      surveyMessages: [],
      escalations: [],
      delivery: { sent: 0, failed: 0 },
    };
    const empty = computeDigest(s, NOW);
    expect(empty.overall).toEqual({ status: 'green', tone: 'good', headline: 'Nothing to report this week.' });
  });
});

describe('computeDigest: workstreams', () => {
  const ws = computeDigest(snapshot(), NOW).workstreams;

  it('orders red, amber, not reported, green, and takes the owner’s latest answer with its comment as the reason', () => {
    expect(ws.map((w) => [w.key, w.status, w.reason])).toEqual([
      ['exchange', 'red', 'Archive mailboxes over 100 GB fail to migrate'],
      ['identity', 'amber', 'MFA at 71%; approve a hard deadline for the last 50 users'],
      ['teams', 'amber', 'On track; open urgent escalation'],
      ['endpoint', null, 'Sam Okafor has not reported this week (last: green)'],
    ]);
  });

  it('ignores answers from anyone but the owner', () => {
    expect(ws.find((w) => w.key === 'exchange')?.reportedAt).toBe(iso(d(-3, 2)));
  });

  it('an open urgent escalation lifts green to amber; a resolved one does not', () => {
    const teams = ws.find((w) => w.key === 'teams');
    expect(teams).toMatchObject({ status: 'amber', tone: 'warn', reported: true, raisedByEscalation: true });
    expect(ws.find((w) => w.key === 'identity')?.raisedByEscalation).toBe(false);
  });

  it('a not-reported workstream with an open urgent escalation is amber, not blank', () => {
    const s = snapshot();
    s.escalations.push({
      id: 'e9',
      workstreamKey: 'endpoint',
      ownerName: 'Sam Okafor',
      level: 1,
      state: 'acknowledged',
      urgent: true,
      openedAt: d(-1),
      summary: 'x',
    });
    const endpoint = computeDigest(s, NOW).workstreams.find((w) => w.key === 'endpoint');
    expect(endpoint).toMatchObject({ status: 'amber', reported: false, reason: 'Sam Okafor has not reported this week (last: green); open urgent escalation' });
  });

  it('grades option values other than green/amber/red by their escalate flag, and cuts long reasons', () => {
    const s = snapshot();
    s.statusReports.push({
      workstreamKey: 'endpoint',
      personId: 'sam',
      value: 'stuck',
      label: 'Stuck',
      escalate: 'urgent',
      decision: false,
      comment: Array(40).fill('word').join(' '),
      at: d(-1),
    });
    const endpoint = computeDigest(s, NOW).workstreams.find((w) => w.key === 'endpoint');
    expect(endpoint?.status).toBe('red');
    expect(wordCount(endpoint?.reason ?? '')).toBe(25);
    expect(endpoint?.reason.endsWith('…')).toBe(true);
  });
});

describe('computeDigest: milestones', () => {
  const m = computeDigest(snapshot(), NOW).milestones;

  it('lists milestones done this week', () => {
    expect(m.done).toEqual([{ key: 'pilot', label: 'Pilot group migrated', at: iso(d(-13)), doneAt: iso(d(-5)) }]);
  });

  it('lists milestones due in the next 14 days, soonest first', () => {
    expect(m.due.map((x) => [x.key, x.at])).toEqual([
      ['cutover', iso(d(4))],
      ['go-live', iso(d(7))],
    ]);
  });

  it('lists moved milestones with the baseline (first planned) date, the current date and the move count', () => {
    expect(m.moved).toEqual([
      { key: 'cutover', label: 'Mailbox cutover weekend', baseline: iso(d(-3)), current: iso(d(4)), moves: 2, movedThisWeek: true, slipDays: 7, done: false },
    ]);
  });

  it('keeps the baseline whatever order the moves are stored in', () => {
    const s = snapshot();
    s.milestones[1]?.moves.reverse();
    expect(computeDigest(s, NOW).milestones.moved[0]?.baseline).toBe(iso(d(-3)));
  });
});

describe('computeDigest: decisions needed', () => {
  it('lists escalations past their acknowledgement time, then status answers asking for a decision', () => {
    expect(computeDigest(snapshot(), NOW).decisions).toEqual([
      { kind: 'escalation', text: 'Dev Kim answered “I can’t work”: not acknowledged by Maria Lopez (level 2)', since: iso(d(-4, 4)), urgent: true },
      {
        kind: 'status',
        text: 'Identity & MFA (Entra ID): MFA at 71%; approve a hard deadline for the last 50 users (Dana Ruiz)',
        since: iso(d(-3)),
        urgent: false,
      },
    ]);
  });

  it('an acknowledged escalation, or one still within its acknowledgement time, is not a decision', () => {
    const s = snapshot();
    s.escalations = s.escalations.filter((e) => e.id !== 'e1');
    expect(computeDigest(s, NOW).decisions.map((x) => x.kind)).toEqual(['status']);
  });

  it('shows at most five and counts the rest', () => {
    const s = snapshot();
    for (let i = 0; i < 7; i++)
      s.escalations.push({
        id: `x${i}`,
        ownerName: 'Raj Patel',
        level: 1,
        state: 'open',
        urgent: false,
        openedAt: d(-2),
        ackDueAt: d(-1),
        summary: `case ${i}`,
      });
    const digest = computeDigest(s, NOW);
    expect(digest.decisions).toHaveLength(5);
    expect(digest.decisionsMore).toBe(4);
  });
});

describe('computeDigest: delivery', () => {
  it('counts sent and failed this week and lists bounced addresses, newest first', () => {
    expect(computeDigest(snapshot(), NOW).delivery).toEqual({
      sent: 412,
      failed: 3,
      bounced: [
        { name: 'Dee Brooks', email: 'dee.brooks@northwind.example', reason: '550 mailbox unavailable', at: iso(d(-2)) },
        { name: 'Old Bounce', email: 'old@northwind.example', at: iso(d(-4)) },
      ],
      bouncedMore: 0,
    });
  });
});

describe('computeDigest: surveys', () => {
  const digest = computeDigest(snapshot(), NOW);

  it('gives the response rate and split per survey and audience, with the change from last week, lowest rate first', () => {
    expect(digest.surveys).toEqual([
      {
        comm: 'hypercare-checkin',
        question: 'How is your new mailbox working?',
        audience: 'end-users',
        sent: 4,
        answered: 3,
        rate: 75,
        change: -25,
        changeText: '−25 pts',
        split: [
          { value: 'good', label: 'All good', count: 1, pct: 34, tone: 'good' },
          { value: 'minor', label: 'Some issues', count: 1, pct: 33, tone: 'warn' },
          { value: 'blocked', label: "I can't work", count: 1, pct: 33, tone: 'bad' },
        ],
      },
      {
        comm: 'hypercare-checkin',
        question: 'How is your new mailbox working?',
        audience: 'service-desk',
        sent: 1,
        answered: 1,
        rate: 100,
        change: null,
        changeText: 'new this week',
        split: [{ value: 'good', label: 'All good', count: 1, pct: 100, tone: 'good' }],
      },
    ]);
  });

  it('counts last week as it stood at the end of last week (answers that came in later do not change it)', () => {
    const s = snapshot();
    const late = s.surveyMessages.find((m) => m.personId === 'cai' && m.sentAt.getTime() < d(-7).getTime());
    if (late?.answer) late.answer.firstAt = d(-3);
    expect(computeDigest(s, NOW).surveys[0]?.change).toBe(25);
  });

  it('picks up to five comments: escalating answers first, most recent first, then the others', () => {
    expect(digest.comments.map((c) => [c.text, c.answer, c.escalating])).toEqual([
      ['Shared calendars are slow to open', 'Some issues', true],
      ['Outlook keeps asking for my password', "I can't work", true],
      ['Queue is calm', 'All good', false],
    ]);
    const s = snapshot();
    for (let i = 0; i < 8; i++) {
      s.surveyMessages.push({
        commKey: 'c',
        question: 'q',
        occurrence: 0,
        personId: `p${i}`,
        audience: 'end-users',
        sentAt: d(-3),
        answer: { value: 'good', label: 'Good', comment: `comment ${i}`, firstAt: d(-3), at: d(-3, i) },
      });
    }
    const many = computeDigest(s, NOW).comments;
    expect(many).toHaveLength(5);
    expect(many.slice(0, 2).every((c) => c.escalating)).toBe(true);
    expect(many.slice(2).map((c) => c.text)).toEqual(['Queue is calm', 'comment 7', 'comment 6']);
  });

  it('states the comment rule', () => {
    expect(digest.rules.comments).toBe('Up to five comments from this week: answers that raised an escalation first, then the others, most recent first.');
  });
});

describe('computeDigest: open escalations', () => {
  it('lists open and acknowledged escalations with owner, level and age, urgent first then oldest', () => {
    expect(computeDigest(snapshot(), NOW).escalations.map((e) => [e.id, e.owner, e.level, e.state, e.age])).toEqual([
      ['e1', 'Maria Lopez', 2, 'open', '4 days'],
      ['e2', 'Raj Patel', 1, 'acknowledged', '1 day'],
      ['e4', 'Dana Ruiz', 1, 'open', '5 hours'],
    ]);
  });

  it("carries an acknowledged escalation's acknowledgement note, and no note on open ones", () => {
    const s = snapshot();
    const e2 = s.escalations.find((e) => e.id === 'e2')!;
    e2.acknowledgementNote = 'Vendor ticket raised, fix due Tuesday';
    s.escalations.push({
      id: 'e8',
      ownerName: 'Raj Patel',
      level: 1,
      state: 'open',
      urgent: false,
      openedAt: d(-1),
      summary: 'x',
      acknowledgementNote: 'stale',
    });
    const lines = computeDigest(s, NOW).escalations;
    expect(lines.find((e) => e.id === 'e2')?.note).toBe('Vendor ticket raised, fix due Tuesday');
    expect(lines.find((e) => e.id === 'e8')).not.toHaveProperty('note');
    expect(lines.find((e) => e.id === 'e1')).not.toHaveProperty('note');
  });

  it('names the workstream of each escalation', () => {
    expect(computeDigest(snapshot(), NOW).escalations[0]?.workstream).toBe('Teams & SharePoint');
  });
});

describe('computeDigest: readable in three minutes', () => {
  it(`keeps its prose within ${PROSE_BUDGET} words however much there is to say`, () => {
    const s = snapshot();
    const long = Array(60).fill('lengthy').join(' ');
    for (let i = 0; i < 20; i++) {
      s.escalations.push({ id: `l${i}`, ownerName: 'Raj Patel', level: 1, state: 'open', urgent: true, openedAt: d(-2), ackDueAt: d(-1), summary: long });
      s.surveyMessages.push({
        commKey: 'c',
        question: 'q',
        occurrence: 0,
        personId: `p${i}`,
        audience: 'end-users',
        sentAt: d(-3),
        answer: { value: 'bad', label: 'Bad', escalate: true, comment: long, firstAt: d(-3), at: d(-3, i) },
      });
    }
    const digest = computeDigest(s, NOW);
    const words = wordCount(digest.overall.headline) + [...digest.decisions, ...digest.comments].reduce((n, x) => n + wordCount(x.text), 0);
    expect(words).toBe(digest.prose.words);
    expect(words).toBeLessThanOrEqual(PROSE_BUDGET);
    expect(digest.comments.length).toBeGreaterThan(0);
  });

  it('bar percentages always add up to 100', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 }), (counts) => {
        const p = percents(counts);
        const total = counts.reduce((a, b) => a + b, 0);
        expect(p.reduce((a, b) => a + b, 0)).toBe(total === 0 ? 0 : 100);
        p.forEach((x, i) => expect(Math.abs(x - (total ? (counts[i]! * 100) / total : 0))).toBeLessThan(1));
      }),
    );
  });
});
