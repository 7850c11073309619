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
  new RegExp(
    '^(confidentiality notice|disclaimer|caution:|this (e-?mail|message|communication)( and any (files' +
      '|attachments)[^.]*)? (is|are|may be|may contain|contains?) (confidential|privileged' +
      '|intended))',
    'i',
  ),
  new RegExp(
    '^(the (information|content)s? (in|of|contained in) this (e-?mail|message)' +
      '|if you (are not the intended|have received this (e-?mail|message) in error)' +
      '|please consider the environment before printing)',
    'i',
  ),
  new RegExp(
    '^(vertraulichkeitshinweis|haftungsausschluss|datenschutzhinweis|informationen zum datenschutz' +
      '|pflichtangaben|sitz der gesellschaft|registergericht|diese (e-?mail' +
      '|nachricht)[^.]{0,80}(vertraulich|ist ausschließlich|rechtlich geschützt)|der inhalt dieser (e-?mail' +
      '|nachricht)|wenn sie nicht der (richtige|beabsichtigte) (adressat|empfänger)' +
      '|bitte denken sie an die umwelt)',
    'i',
  ),
  // Mobile clients' footers the reply parser does not know.
  new RegExp(
    '^(get outlook for (ios|android)|outlook für (ios|android) (herunterladen|beziehen)' +
      '|télécharger outlook pour|sent from (outlook|mail) for (ios|android|windows)' +
      '|gesendet von outlook für)',
    'i',
  ),
  /^(avis de confidentialité|avertissement\s*:|ce (message|courriel|e-?mail)[^.]{0,80}(confidentiel|destinés?|exclusivement))/i,
];
/**
 * External-sender warnings that mail gateways put above the person's words (Exchange transport
 * rules "CAUTION: This email originated from outside…", Mimecast, Proofpoint "[EXTERNAL]", the
 * Microsoft first-contact tip, German "ACHTUNG: externe E-Mail"). Only a leading paragraph that
 * says one of these is dropped: cutting there as at a disclaimer lost everything below it.
 */
const BANNER = [
  /originated (from )?outside (of )?(the|your|our|this) (organi[sz]ation|company|network)/i,
  /^\W*\[?\s*(external|extern|externe|ext)\s*\]?\W*((e-?mail|sender|message|nachricht|absender|mail)\b|$)/i,
  /(do not|don't) click( on)? (any )?links,? or open attachments/i,
  /you don'?t often get (e-?mail|messages?) from/i,
  /(this|diese) (e-?mail|message|nachricht) (was sent|comes|came|stammt|wurde) (from|von) (an? )?(external|outside|extern|außerhalb)/i,
  /(externe[nrs]? (absender|e-?mail|nachricht)|von außerhalb (ihrer|unserer|der) organisation|außerhalb (ihrer|unserer|der) organisation)/i,
  /zjqcmqryfpfptbanner(start|end)/i,
  /^\W*(caution|warning|achtung|vorsicht|attention)\W*:?\W*(external|extern|this (e-?mail|message) (is|was|originated))/i,
];
// A quote header ("On … wrote:", "Am … schrieb …:", "Le … a écrit :") the client wrapped over up to three lines.
const ATTRIBUTION_VERB = /\b(wrote|schrieb|a écrit|écrit|escribió|ha scritto|scritto|escreveu|schreef|skrev|napisał)\b/i;
// An Outlook header block: "From:/Von:/De:" then "Sent:/Gesendet:/Envoyé:", "To:/An:/À:", "Subject:/Betreff:/Objet:".
const HEADER_FROM = /^\s*\*?(from|von|de|da|van|från|fra|od)\s*:\s*\*?\s*\S/i;
const HEADER_FIELD = new RegExp(
  String.raw`^\s*\*?(sent|date|gesendet|datum|envoyé|inviato|verzonden|enviado|skickat|to|an|à|a|aan|para|till|cc` +
    String.raw`|subject|betreff|objet|oggetto|asunto|onderwerp|assunto|ämne)\s*:`,
  'i',
);
const ORIGINAL_MESSAGE = new RegExp(
  String.raw`^\s*-{2,}\s*(original message|ursprüngliche nachricht|originalnachricht|message d'origine` +
    '|mensaje original|messaggio originale|oorspronkelijk bericht|forwarded message' +
    String.raw`|weitergeleitete nachricht)\s*-{2,}`,
  'i',
);
// A closing formula; the line after it is the person's name, and what follows that is their signature block.
const VALEDICTION = new RegExp(
  '^(best( regards| wishes)?|kind(est)? regards|warm regards|regards|many thanks|thanks( again' +
    '| and regards)?|thank you|cheers|sincerely|yours( sincerely| truly)?|br|mit freundlichen grüßen' +
    '|mit freundlichem gruß|freundliche grüße|viele grüße|beste grüße|liebe grüße|herzliche grüße' +
    '|schöne grüße|besten dank|vielen dank|lg|vg|mfg|gruß|grüße|cordialement|bien cordialement' +
    String.raw`|bien à vous|salutations( distinguées)?|meilleures salutations)\s*[,.!]?$`,
  'i',
);
const SIGNATURE_LINE = new RegExp(
  String.raw`(\b(tel|phone|fon|telefon|fax|mobil|mobile|handy|cell|m|t|f)\b\.?\s*:?\s*\+?[\d(]` +
    String.raw`|\+\d{2}[\s\d()/-]{6,}|www\.|https?:\/\/|@|\b(gmbh|ag|kg|se|ltd|limited|inc|llc|plc|s\.a\.|sarl|sas` +
    String.raw`|bv|n\.v\.)\b|straße|strasse|str\.|\bstreet\b|\bavenue\b|\d{5}\s+\p{L}|geschäftsführ|registergericht` +
    String.raw`|\bhrb\b|ust-?id|vat)`,
  'iu',
);
// A quote header the person's mail client wrapped over two lines, whose second line Herald's cut hits.
const QUOTE_HEADER_START = /^\s*(on|am|le|el|il|em|op|den)\s.*\d/i;
const QUOTE_HEADER_END = /(wrote|schrieb|écrit|escribió|scritto|escreveu|schreef|skrev)\s*:?\s*$/i;
const SEPARATOR = /^[\s\-_=*~]*$/;

function normalize(line: string): string {
  return line
    .replace(/^[\s>]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
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

const isBanner = (text: string): boolean => BANNER.some((re) => re.test(text));
// A banner's last line ends its sentence, or is a line of decoration (`*****`, `-----`).
const SENTENCE_END = /([.!:\])*]|^[\s*=_~#-]+)\s*$/;

/**
 * Drops leading paragraphs that are a gateway's external-sender warning (each at most 1,000
 * characters). Where the gateway left no blank line, only the banner's own lines go: the lines up
 * to the end of the first sentence that reads as a banner, when nothing after them does.
 */
function withoutBanners(text: string): string {
  let rest = text;
  for (let n = 0; n < 4; n++) {
    const lead = /^\s*/.exec(rest)![0].length;
    const end = rest.indexOf('\n\n', lead);
    const paragraph = rest.slice(lead, end < 0 ? rest.length : end);
    if (!paragraph || paragraph.length > 1_000 || !isBanner(paragraph)) break;
    const lines = paragraph.split('\n');
    const k = lines.findIndex((l, i) => SENTENCE_END.test(l) && isBanner(lines.slice(0, i + 1).join(' ')) && !isBanner(lines.slice(i + 1).join(' ')));
    if (k >= 0 && k < lines.length - 1) return `${lines.slice(k + 1).join('\n')}${end < 0 ? '' : rest.slice(end)}`;
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  return rest;
}

/** The first line of a quote header, an Outlook header block or an "Original Message" line, or lines.length. */
function quoteHeaderCut(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ORIGINAL_MESSAGE.test(line)) return i;
    if (QUOTE_HEADER_START.test(line)) {
      for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
        const joined = lines
          .slice(i, i + span)
          .join(' ')
          .trim();
        if (joined.length <= 300 && /:\s*$/.test(joined) && ATTRIBUTION_VERB.test(joined)) return i;
      }
    }
    if (HEADER_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 6).filter((l) => l.trim());
      if (next.filter((l) => HEADER_FIELD.test(l)).length >= 2) return i;
    }
  }
  return lines.length;
}

/**
 * A closing formula, the name below it, then a block of contact lines or a disclaimer: a signature
 * without `-- `, cut from the closing formula on (as the reply parser does with "Regards,"). A
 * closing formula and a name alone ("Viele Grüße\nBea") are the person's words and stay.
 */
function signatureCut(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    // "Mit freundlichen Grüßen / Kind regards": either side will do.
    if (!lines[i]!.split(/\s+\/\s+/).some((part) => VALEDICTION.test(part.trim()))) continue;
    let name = i + 1;
    while (name < lines.length && !lines[name]!.trim()) name++;
    if (name >= lines.length || lines[name]!.trim().length > 60) return lines.length;
    const rest = lines.slice(name + 1).filter((l) => l.trim());
    const signature = (l: string): boolean => SIGNATURE_LINE.test(l) || DISCLAIMER.some((re) => re.test(l.trim()));
    if (rest.length && rest.slice(0, 15).some(signature)) return i;
    return lines.length;
  }
  return lines.length;
}

const parser = new EmailReplyParser();

/**
 * The reply parser's quote-header expressions backtrack super-linearly, and nothing in Herald's
 * input can stop that but the size of what it is handed:
 *  - `^-*\s*(On\s.+\s.+\n?wrote:…)` (flag `m`, over the whole text) tries every split of a line
 *    for every line start that `\s*` reaches across blank lines: (blank lines before it) × (line
 *    length)². A 14 KB fuzz mail (400 blank lines, then one 14,000-character line of "On … <"
 *    pieces) took 8.5 s. So the parser gets lines of at most MAX_PARSER_LINE characters (a longer
 *    line, a pasted paragraph, can be no quote header or signature: it goes in as a placeholder and
 *    comes back after the parse) and runs of at most MAX_BLANK_RUN blank lines.
 *  - `^\s*([a-z]{3,4}\.\s[\s\S]+\sskrev\s[\s\S]+:)$` spans lines and is cubic in the text's
 *    length (16 KB of "abc. x skrev" lines: about 5 s). So the parser reads windows of at most
 *    PARSER_WINDOW characters, top down, and stops at the first window in which it finds quoted
 *    text or a signature: a few windows of bounded cost instead of one unbounded parse. A reply
 *    shorter than one window (nearly all) is parsed whole, exactly as before.
 */
export const MAX_PARSER_LINE = 1_000;
const MAX_BLANK_RUN = 8;
export const PARSER_WINDOW = 4_000;
const PLACEHOLDER = /^>?\uE000herald-long-line-(\d+)\uE000$/;

function boundedParse(text: string): string {
  const long: string[] = [];
  const windows: string[][] = [[]];
  let size = 0;
  let blanks = 0;
  for (let line of text.split('\n')) {
    if (!line.trim()) {
      if (++blanks > MAX_BLANK_RUN) continue;
    } else {
      blanks = 0;
      if (line.length > MAX_PARSER_LINE) {
        // A quoted line stays quoted (the parser looks at its first character only).
        const placeholder = `${line.startsWith('>') ? '>' : ''}\uE000herald-long-line-${long.length}\uE000`;
        long.push(line);
        line = placeholder;
      }
    }
    if (size + line.length + 1 > PARSER_WINDOW && windows.at(-1)!.length) {
      windows.push([]);
      size = 0;
    }
    windows.at(-1)!.push(line);
    size += line.length + 1;
  }
  const visible: string[] = [];
  for (const window of windows) {
    const email = parser.read(window.join('\n'));
    visible.push(email.getVisibleText());
    if (email.getFragments().some((f) => f.isQuoted() || f.isSignature())) break;
  }
  const out = visible.join('\n');
  if (!long.length) return out;
  return out
    .split('\n')
    .map((l) => {
      const m = PLACEHOLDER.exec(l);
      return m ? long[Number(m[1])]! : l;
    })
    .join('\n');
}

export function replyText(text: string, markers: HeraldQuoteMarkers): ReplyText {
  const normalized = text.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const truncated = normalized.length > MAX_REPLY_INPUT;
  const bounded = truncated ? normalized.slice(0, MAX_REPLY_INPUT) : normalized;
  const visible = boundedParse(withoutBanners(bounded));
  let lines = visible.split('\n');
  lines = lines.slice(0, Math.min(heraldCut(lines, markers), quoteHeaderCut(lines)));
  lines = lines.slice(0, signatureCut(lines));
  lines = lines.slice(0, disclaimerCut(lines));
  while (lines.length && SEPARATOR.test(lines[lines.length - 1]!)) lines.pop();
  while (lines.length && !lines[0]!.trim()) lines.shift();
  // trimEnd, not replace(/\s+$/): that regex is quadratic on a line of many spaces not at its end.
  return { text: lines.map((l) => l.trimEnd()).join('\n'), truncated };
}
