// The WHATWG "valid e-mail address" grammar, but with at least one dot in the domain: a single-label
// domain ("ana@example") is almost always a typo in a people list.
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmail(s: string): boolean {
  return EMAIL_RE.test(s);
}

/** `addr` or `Display Name <addr>` (name optionally quoted); returns the bare address or undefined. */
export function mailboxAddress(s: string): string | undefined {
  const m = /^\s*(?:"[^"]*"|[^"<>]*?)\s*<([^<>]+)>\s*$/.exec(s);
  const addr = m !== null ? m[1] : s.trim();
  return addr !== undefined && isEmail(addr) ? addr : undefined;
}

/**
 * The sending mailbox a provider counts limits against (Exchange Online: per mailbox), from a
 * plan's `sender.email`: the bare address in lower case, or '' for "the default From".
 */
export function senderMailbox(sender: string | undefined | null): string {
  return (sender ? mailboxAddress(sender) : undefined)?.toLowerCase() ?? '';
}
