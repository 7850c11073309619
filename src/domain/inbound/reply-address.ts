import { REPLY_TOKEN_MAX_LENGTH } from '../tokens.ts';
import type { InboundEmail } from './inbound-email.ts';

/**
 * Where a reply points back to a Herald message: the signed token in the plus-addressed
 * Reply-To it was sent to (`it-pmo+r…@northwind.example`), else the Message-IDs it quotes in
 * In-Reply-To and References (newest first).
 */

/** Plus tags of the form `<letter><base32>` in the addresses' local parts, in order, without duplicates. */
function signedTags(addresses: readonly string[], letter: 'r' | 'b'): string[] {
  const out = new Set<string>();
  const shape = new RegExp(`^${letter}[a-z2-7]+$`, 'i');
  for (const address of addresses.slice(0, 100)) {
    const at = address.lastIndexOf('@');
    const local = at < 0 ? address : address.slice(0, at);
    for (const tag of local.split('+').slice(1)) {
      if (shape.test(tag) && tag.length <= REPLY_TOKEN_MAX_LENGTH) out.add(tag.toLowerCase());
    }
  }
  return [...out];
}

/** Reply tokens found in the recipients' local parts (`it-pmo+r…@`), in recipient order, without duplicates. */
export function replyTokens(recipients: readonly string[]): string[] {
  return signedTags(recipients, 'r');
}

/** Bounce tokens of Herald's signed return paths (`it-pmo+b…@`) among these addresses. */
export function bounceTokens(addresses: readonly string[]): string[] {
  return signedTags(addresses, 'b');
}

/** Message-IDs the mail answers: In-Reply-To first, then References from newest to oldest. */
export function quotedMessageIds(mail: Pick<InboundEmail, 'inReplyTo' | 'references'>): string[] {
  const ids = [...(mail.inReplyTo?.match(/<[^<>\s]+>/g) ?? []), ...[...mail.references].reverse()];
  return [...new Set(ids)];
}

/** `IT PMO <it-pmo+rabc@x.example>` or `it-pmo@x.example` → `it-pmo@x.example` (lower case, no plus tag). */
export function baseAddress(address: string): string | undefined {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(address) ?? /([^<>\s]+@[^<>\s]+)/.exec(address);
  if (!m) return undefined;
  const [local, domain] = [m[1]!.slice(0, m[1]!.lastIndexOf('@')), m[1]!.slice(m[1]!.lastIndexOf('@') + 1)];
  return `${local.split('+')[0]}@${domain}`.toLowerCase();
}
