import type { SurveyOption } from '../plan/model.ts';

/**
 * Reads a survey answer out of a reply's new text. Only the first line counts (after at most
 * one greeting line), and only when it starts with an option's number, value or label as a
 * whole word: "2", "minor", "Some issues — Teams keeps crashing". A number inside a sentence
 * ("I'd say 3, …") is no answer: the reply is kept as a comment without an option. A missed
 * answer loses nothing (the words are kept); a wrong one would corrupt the result.
 */
export interface ReadAnswer {
  /** The option's value, or undefined when the first line names none. */
  option?: string;
  /** The person's words without the greeting and the option itself; undefined when nothing is left. */
  comment?: string;
}

const GREETING = new RegExp(
  '^(hi|hello|hey|dear|good (morning|afternoon|evening|day)|greetings|hallo|hi there|liebe[rs]?' +
    '|sehr geehrte[rs]?|guten (morgen|tag|abend)|moin|servus|grüß gott|bonjour|bonsoir|salut|coucou|cher' +
    String.raw`|chère|madame|monsieur)\b[^\n\d]{0,30}$`,
  'iu',
);
const WORD_CHAR = /[\p{L}\p{N}_]/u;
// What may sit between the option and the person's words: "2 — …", "2. …", "2) …", "minor: …".
const SEPARATOR = /^[\s\-–—:.,;)!]*/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Length of `token` at the start of `line` when it is there as a whole word (any case), else 0. */
function wholeWordAt(line: string, token: string): number {
  const t = token.trim().normalize('NFC');
  if (!t) return 0;
  const pattern = t.split(/\s+/).map(escapeRegExp).join('\\s+');
  // "fine-tuning" is one word, not the option "fine".
  const tail = WORD_CHAR.test(t.charAt(t.length - 1)) ? '(?![\\p{L}\\p{N}_]|[-\u2010][\\p{L}\\p{N}])' : '';
  return new RegExp(`^${pattern}${tail}`, 'iu').exec(line.normalize('NFC'))?.[0].length ?? 0;
}

function isGreeting(line: string): boolean {
  return GREETING.test(line.trim());
}

export function readAnswer(text: string, options: readonly SurveyOption[]): ReadAnswer {
  const lines = text.split('\n');
  const nonEmpty = lines.map((l, i) => ({ l: l.trim(), i })).filter((x) => x.l);
  if (!nonEmpty.length) return {};
  let first = nonEmpty[0]!;
  if (isGreeting(first.l) && nonEmpty[1] && !matchOption(first.l, options)) first = nonEmpty[1];
  const match = matchOption(first.l.replace(/^[(*"'“„«]+/, ''), options);
  if (!match) return { comment: text.trim() };
  const leading = first.l.length - first.l.replace(/^[(*"'“„«]+/, '').length;
  const rest = first.l
    .slice(leading + match.length)
    .replace(SEPARATOR, '')
    .replace(/^[*"'”“»]+\s*/, '');
  const comment = [rest, ...lines.slice(first.i + 1)].join('\n').trim();
  return comment ? { option: match.value, comment } : { option: match.value };
}

/** The option named at the start of a line: the longest match wins; a tie between two options is no answer. */
function matchOption(line: string, options: readonly SurveyOption[]): { value: string; length: number } | undefined {
  let best: { value: string; length: number } | undefined;
  let tie = false;
  options.forEach((o, i) => {
    // A plain number only names an option when the line has the number alone, not "2027 …" or "2,5".
    const numberLength = new RegExp(`^${i + 1}(?![\\p{N}]|[.,]\\p{N})`, 'u').test(line) ? String(i + 1).length : 0;
    const length = Math.max(numberLength, wholeWordAt(line, o.value), wholeWordAt(line, o.label));
    if (!length) return;
    if (!best || length > best.length) {
      best = { value: o.value, length };
      tie = false;
    } else if (length === best.length && best.value !== o.value) tie = true;
  });
  return tie ? undefined : best;
}
