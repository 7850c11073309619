/**
 * An inbound mail as the pure core sees it: the parts of a parsed MIME message that
 * classification, matching and reply reading need. The mailparser adapter builds it
 * (src/channels/email/inbound/parse-mime.ts); tests can build it by hand.
 */
export interface InboundAddress {
  /** Lower-cased address. */
  address: string;
  name?: string;
}

export interface InboundPart {
  /** Lower-case MIME type, e.g. `message/delivery-status`, `message/rfc822`, `text/rfc822-headers`. */
  contentType: string;
  /** The part's decoded content as text (UTF-8). */
  content: string;
}

export interface InboundEmail {
  /** Message-ID with its angle brackets, when there is one. */
  messageId?: string;
  inReplyTo?: string;
  /** References, oldest first, each with angle brackets. */
  references: string[];
  from?: InboundAddress;
  /** To, Cc and envelope recipients (RCPT TO, Delivered-To, X-Original-To), lower-cased, without duplicates. */
  recipients: string[];
  subject: string;
  /** The plain-text body (mailparser derives it from the HTML when the mail has no text part). */
  text: string;
  /** Top-level content type, lower case, without parameters. */
  contentType: string;
  /** `report-type` parameter of a multipart/report, lower case. */
  reportType?: string;
  /** Header values by lower-case name; a repeated header keeps every value in order. */
  headers: ReadonlyMap<string, readonly string[]>;
  /** Non-body parts: delivery status, returned messages or headers, disposition notifications. */
  parts: InboundPart[];
  date?: Date;
}

/** The first value of a header, trimmed, or undefined. */
export function header(mail: Pick<InboundEmail, 'headers'>, name: string): string | undefined {
  const v = mail.headers.get(name.toLowerCase())?.[0];
  return v === undefined ? undefined : v.trim();
}
