import type { CommentLine, Segment, SurveyLine, Tone } from './model.ts';
import type { SurveyAnswer, SurveyMessage } from './snapshot.ts';
import { clipWords } from './text.ts';
import { inWindow, type DigestWindow } from './week.ts';

export const MAX_COMMENTS = 5;
/** Words one quoted comment may take. */
export const COMMENT_WORDS = 30;
export const COMMENT_RULE = 'Up to five comments from this week: answers that raised an escalation first, then the others, most recent first.';

function toneOfAnswer(a: Pick<SurveyAnswer, 'escalate'>): Tone {
  return a.escalate === 'urgent' ? 'bad' : a.escalate === true ? 'warn' : 'good';
}

/** Whole percents that add up to 100 (largest remainder), so bars made of cells fill their row exactly. */
export function percents(counts: readonly number[]): number[] {
  const total = counts.reduce((s, n) => s + n, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((n) => (n * 100) / total);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((s, n) => s + n, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out;
}

function rate(answered: number, sent: number): number {
  return sent === 0 ? 0 : Math.round((answered * 100) / sent);
}

function changeText(change: number | null): string {
  if (change === null) return 'new this week';
  if (change === 0) return 'no change';
  return `${change > 0 ? '+' : '−'}${Math.abs(change)} pts`;
}

interface Group {
  comm: string;
  question: string;
  audience: string;
  now: SurveyMessage[];
  before: SurveyMessage[];
}

/**
 * Response rate and answer split per survey and audience, for messages sent this week, against
 * last week's messages as they stood at the end of last week (what last week's digest showed).
 */
export function surveyLines(messages: readonly SurveyMessage[], window: DigestWindow): SurveyLine[] {
  const groups = new Map<string, Group>();
  for (const m of messages) {
    const thisWeek = inWindow(m.sentAt, window.from, window.to);
    const lastWeek = inWindow(m.sentAt, window.previousFrom, window.from);
    if (!thisWeek && !lastWeek) continue;
    const id = `${m.commKey}\u0000${m.audience}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { comm: m.commKey, question: m.question, audience: m.audience, now: [], before: [] }));
    (thisWeek ? g.now : g.before).push(m);
  }
  const lines: SurveyLine[] = [];
  for (const g of groups.values()) {
    if (g.now.length === 0) continue;
    const answers = g.now.map((m) => m.answer).filter((a): a is SurveyAnswer => a !== undefined && a.firstAt.getTime() < window.to.getTime());
    const lastAnswered = g.before.filter((m) => m.answer && m.answer.firstAt.getTime() < window.from.getTime()).length;
    const r = rate(answers.length, g.now.length);
    const change = g.before.length === 0 ? null : r - rate(lastAnswered, g.before.length);
    const byValue = new Map<string, { label: string; count: number; tone: Tone }>();
    for (const a of answers) {
      const s = byValue.get(a.value);
      if (s) s.count++;
      else byValue.set(a.value, { label: a.label, count: 1, tone: toneOfAnswer(a) });
    }
    const entries = [...byValue.entries()];
    const pcts = percents(entries.map(([, s]) => s.count));
    const split: Segment[] = entries.map(([value, s], i) => ({ value, label: s.label, count: s.count, pct: pcts[i] as number, tone: s.tone }));
    // Good answers first, then warnings, then the bad ones: the bar reads left to right.
    const order: Record<Tone, number> = { good: 0, none: 1, warn: 2, bad: 3 };
    split.sort((a, b) => order[a.tone] - order[b.tone] || a.label.localeCompare(b.label));
    lines.push({
      comm: g.comm,
      question: g.question,
      audience: g.audience,
      sent: g.now.length,
      answered: answers.length,
      rate: r,
      change,
      changeText: changeText(change),
      split,
    });
  }
  // Lowest response rate first: the audiences that need chasing.
  return lines.sort((a, b) => a.rate - b.rate || a.comm.localeCompare(b.comm) || a.audience.localeCompare(b.audience));
}

/** The comments a sponsor reads, by COMMENT_RULE. */
export function chosenComments(messages: readonly SurveyMessage[], window: DigestWindow): CommentLine[] {
  const withComment = messages
    .map((m) => ({ m, a: m.answer }))
    .filter(
      (x): x is { m: SurveyMessage; a: SurveyAnswer } => x.a?.comment !== undefined && x.a.comment.trim() !== '' && inWindow(x.a.at, window.from, window.to),
    );
  withComment.sort((x, y) => Number(y.a.escalate !== undefined) - Number(x.a.escalate !== undefined) || y.a.at.getTime() - x.a.at.getTime());
  return withComment.slice(0, MAX_COMMENTS).map(({ m, a }) => ({
    text: clipWords(a.comment as string, COMMENT_WORDS),
    answer: a.label,
    audience: m.audience,
    at: a.at.toISOString(),
    escalating: a.escalate !== undefined,
    tone: toneOfAnswer(a),
  }));
}
