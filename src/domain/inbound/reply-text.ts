import EmailReplyParser from 'email-reply-parser';

/**
 * The new text of a reply: what the person wrote above the quoted history. A maintained reply
 * parser (email-reply-parser: quote headers in many languages, signatures, "Sent from my
 * iPhone") does the general work; Herald then cuts at its own quoted message, which no generic
 * parser knows (its sender address, the survey question, its answer links), and at disclaimers.
 */

/**
 * Replies are cut to this many characters before parsing: the parser's regular expressions can
 * take seconds on pathological input, and an answer is in the first lines anyway.
 */
export const MAX_REPLY_INPUT = 16_000;

export interface HeraldQuoteMarkers {
  /** Addresses Herald sent from or asked replies to go to, lower case, without plus tags (quoted plus-addressed forms match too). */
  addresses: string[];
  /** The survey question as sent. */
  question?: string;
  /** The answer links' common prefix, e.g. `https://herald.example/r/`. */
  linkPrefix?: string;
}

export interface ReplyText {
  text: string;
  /** True when the input was longer than MAX_REPLY_INPUT and cut before parsing. */
  truncated: boolean;
}

const DISCLAIMER = [
  /^(confidentiality notice|disclaimer|caution:|this (e-?mail|message|communication)( and any (files|attachments)[^.]*)? (is|are|may be|may contain|contains?) (confidential|privileged|intended))/i,
  /^(vertraulichkeitshinweis|haftungsausschluss|diese (e-?mail|nachricht)[^.]{0,80}(vertraulich|ist ausschließlich))/i,
  /^(avis de confidentialité|avertissement\s*:|ce (message|courriel|e-?mail)[^.]{0,80}(confidentiel|destinés?|exclusivement))/i,
];
// A quote header the person's mail client wrapped over two lines, whose second line Herald's cut hits.
const QUOTE_HEADER_START = /^\s*(on|am|le|el|il|em|op|den)\s.*\d/i;
const QUOTE_HEADER_END = /(wrote|schrieb|écrit|escribió|scritto|escreveu|schreef|skrev)\s*:?\s*$/i;
const SEPARATOR = /^[\s\-_=*~]*$/;

function normalize(line: string): string {
  return line.replace(/^[\s>]+/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** `it-pmo+r…@x` → `it-pmo@x`, so a quoted plus-addressed Reply-To matches the base address. */
function withoutPlusTags(line: string): string {
  return line.replace(/\+[a-z0-9]+@/g, '@');
}

function isHeraldLine(line: string, markers: HeraldQuoteMarkers, question: string | undefined): boolean {
  const n = normalize(line);
  if (!n) return false;
  if (markers.linkPrefix && n.includes(markers.linkPrefix.toLowerCase())) return true;
  const bare = withoutPlusTags(n);
  if (markers.addresses.some((a) => a && bare.includes(a))) return true;
  if (question) {
    // A wrapped question shows as pieces; a piece must be long enough not to be a person's own words.
    if (n.includes(question)) return true;
    if (n.length >= Math.min(20, question.length) && question.includes(n)) return true;
  }
  return false;
}

/** Index of the first line of Herald's own quoted message, or lines.length. */
function heraldCut(lines: string[], markers: HeraldQuoteMarkers): number {
  const question = markers.question ? normalize(markers.question) : undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!isHeraldLine(lines[i]!, markers, question)) continue;
    let cut = i;
    if (QUOTE_HEADER_END.test(lines[i]!)) {
      let j = i - 1;
      while (j >= 0 && !lines[j]!.trim()) j--;
      if (j >= 0 && QUOTE_HEADER_START.test(lines[j]!) && !QUOTE_HEADER_END.test(lines[j]!)) cut = j;
    }
    return cut;
  }
  return lines.length;
}

function disclaimerCut(lines: string[]): number {
  const i = lines.findIndex((l) => DISCLAIMER.some((re) => re.test(l.trim())));
  return i < 0 ? lines.length : i;
}

const parser = new EmailReplyParser();

export function replyText(text: string, markers: HeraldQuoteMarkers): ReplyText {
  const normalized = text.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const truncated = normalized.length > MAX_REPLY_INPUT;
  const bounded = truncated ? normalized.slice(0, MAX_REPLY_INPUT) : normalized;
  const visible = parser.parseReply(bounded);
  let lines = visible.split('\n');
  lines = lines.slice(0, heraldCut(lines, markers));
  lines = lines.slice(0, disclaimerCut(lines));
  while (lines.length && SEPARATOR.test(lines[lines.length - 1]!)) lines.pop();
  while (lines.length && !lines[0]!.trim()) lines.shift();
  return { text: lines.map((l) => l.replace(/\s+$/, '')).join('\n'), truncated };
}
