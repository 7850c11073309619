import type { InboundEmail } from './inbound-email.ts';

/**
 * The opt-in DMARC check (INBOUND_TRUSTED_AUTHSERV_IDS): the mailbox provider that received a
 * mail (Gmail's `mx.google.com`, Exchange Online) writes `Authentication-Results` (RFC 8601) on
 * top of the headers. Anyone can write such a header into a mail too, further down; so only the
 * topmost header of a trusted authserv-id is read, and only a `dmarc=pass` whose `header.from`
 * is the domain of the person's own address, in a mail whose one From is that address, counts.
 */

/** `Exchange Online` writes its header without an authserv-id; naming this id trusts the topmost such header. */
export const EXCHANGE_ONLINE_ID = 'exchange-online';

/** Drops RFC 5322 comments (nested parentheses, `\)` escapes); quoted strings are kept. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length && i < 8_000; i++) {
    const c = value[i]!;
    if (c === '\\') {
      if (depth === 0) out += value.slice(i, i + 2);
      i++;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
      out += c;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out;
}

interface Results {
  /** Lower-case authserv-id, '' when the header has none (Exchange Online). */
  authservId: string;
  /** One entry per `method=result …` statement: its properties by lower-case name. */
  statements: Array<Map<string, string>>;
}

export function parseAuthenticationResults(value: string): Results {
  const clauses = withoutComments(value)
    .split(';')
    .map((c) => c.trim());
  const first = clauses[0] ?? '';
  const hasId = first !== '' && !/^[a-z0-9-]+\s*=/i.test(first);
  const authservId = hasId ? first.split(/\s+/)[0]!.toLowerCase() : '';
  const statements = (hasId ? clauses.slice(1) : clauses)
    // A real statement is short; bounding it keeps the property scan linear on hostile input.
    .filter((c) => c && c.length <= 1_000)
    .slice(0, 50)
    .map(
      (clause) =>
        new Map(
          [...clause.matchAll(/([a-z0-9.-]+)\s*=\s*("[^"]*"|[^\s;]+)/gi)].map(
            (m) => [m[1]!.toLowerCase(), m[2]!.replace(/^"|"$/g, '').toLowerCase()] as [string, string],
          ),
        ),
    );
  return { authservId, statements };
}

/** True when a trusted receiver says DMARC passed for `address`'s domain and the mail's only From is `address`. */
export function dmarcPassFor(mail: Pick<InboundEmail, 'headers' | 'from'>, trustedIds: readonly string[], address: string): boolean {
  if (!trustedIds.length || !mail.from) return false;
  const person = address.trim().toLowerCase();
  if (mail.from.address !== person || (mail.headers.get('from')?.length ?? 0) !== 1) return false;
  const domain = person.slice(person.lastIndexOf('@') + 1);
  // The receiver's own header is on top: the first few are all that can matter.
  const all = (mail.headers.get('authentication-results') ?? []).slice(0, 20).map(parseAuthenticationResults);
  for (const id of trustedIds) {
    const wanted = id === EXCHANGE_ONLINE_ID ? '' : id.toLowerCase();
    // Headers are in order, topmost first: the receiving server's own comes before anything the sender wrote.
    const topmost = id === EXCHANGE_ONLINE_ID ? (all[0]?.authservId === '' ? all[0] : undefined) : all.find((r) => r.authservId === wanted);
    if (!topmost) continue;
    const dmarc = topmost.statements.find((s) => s.has('dmarc'));
    if (dmarc?.get('dmarc') === 'pass' && dmarc.get('header.from') === domain) return true;
  }
  return false;
}
