import { createHmac, timingSafeEqual } from 'node:crypto';
import { HeraldError } from './errors.ts';

/**
 * Signed tokens for response links (`/r/:token`), unsubscribe links (`/u/:token`) and Reply-To
 * addresses. A token is binary (ids packed as 16 bytes when they are UUIDs) and then base64url,
 * so it stays short in a URL; the MAC is HMAC-SHA256 truncated to 128 bits.
 */
export type TokenKind = 'answer' | 'unsubscribe' | 'reply' | 'escalation' | 'bounce' | 'approval';

export interface TokenPayload {
  k: TokenKind;
  /** Message id (escalation links: the escalation id; approval links: the approval id). */
  m: string;
  /** Person id. */
  p: string;
  /** Survey option value (answer links); `acknowledge` or `resolve` (escalation links); `approve` or `reject` (approval links). */
  o?: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/** The short Reply-To form: the message names its person, so only the message and expiry travel. */
export interface ReplyTokenPayload {
  m: string;
  exp: number;
}

const KIND_BYTE: Record<TokenKind, number> = { answer: 1, unsubscribe: 2, reply: 3, escalation: 4, bounce: 5, approval: 6 };
const BYTE_KIND = new Map<number, TokenKind>(Object.entries(KIND_BYTE).map(([k, v]) => [v, k as TokenKind]));
const MAC_BYTES = 16;
const REPLY_MAC_BYTES = 10;
/** RFC 5321 caps an address's local part at 64 characters; the token must leave room for `name+`. */
export const REPLY_TOKEN_MAX_LENGTH = 64;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG_UUID = 1;
const TAG_TEXT = 2;

function invalid(why: string): HeraldError {
  return new HeraldError('TOKEN_INVALID', `the link or token is not valid (${why})`, {
    hint: 'ask for a new message; links cannot be edited or reused across messages',
  });
}

function mac(secret: string, body: Uint8Array, bytes: number): Buffer {
  if (secret.length === 0) throw new HeraldError('TOKEN_SECRET_MISSING', 'no signing secret', { hint: 'set HERALD_SECRET' });
  return createHmac('sha256', secret).update(body).digest().subarray(0, bytes);
}

function encodeField(value: string): Buffer {
  if (UUID.test(value)) return Buffer.concat([Buffer.of(TAG_UUID), Buffer.from(value.replaceAll('-', ''), 'hex')]);
  const text = Buffer.from(value, 'utf8');
  if (text.length > 255) throw new HeraldError('TOKEN_FIELD_TOO_LONG', `a token field is longer than 255 bytes: ${value.slice(0, 40)}…`);
  return Buffer.concat([Buffer.of(TAG_TEXT, text.length), text]);
}

/** Reads fields back in order; every read checks bounds so a forged body cannot over-read. */
class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  byte(): number {
    const b = this.buf[this.pos];
    if (b === undefined) throw invalid('truncated');
    this.pos += 1;
    return b;
  }
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw invalid('truncated');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw invalid('truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  field(): string {
    const tag = this.byte();
    if (tag === TAG_UUID) {
      const h = this.take(16).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    if (tag === TAG_TEXT) return this.take(this.byte()).toString('utf8');
    throw invalid('bad field');
  }
  get done(): boolean {
    return this.pos === this.buf.length;
  }
}

function uint32(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new HeraldError('TOKEN_EXPIRY_INVALID', `token expiry must be epoch seconds, got ${n}`);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function checkMac(secret: string, body: Buffer, given: Buffer, bytes: number): void {
  const want = mac(secret, body, bytes);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw invalid('signature mismatch');
}

function checkExpiry(exp: number, nowSeconds: number): void {
  if (exp < nowSeconds) {
    throw new HeraldError('TOKEN_EXPIRED', 'this link has expired', { hint: 'answer from a newer message, or ask the project office' });
  }
}

/** Signs a payload into a URL-safe token (base64url, no padding). */
export function signToken(secret: string, payload: TokenPayload): string {
  const body = Buffer.concat([
    Buffer.of(KIND_BYTE[payload.k], payload.o === undefined ? 0 : 1),
    uint32(payload.exp),
    encodeField(payload.m),
    encodeField(payload.p),
    ...(payload.o === undefined ? [] : [encodeField(payload.o)]),
  ]);
  return Buffer.concat([body, mac(secret, body, MAC_BYTES)]).toString('base64url');
}

/** Checks signature then expiry; throws HeraldError TOKEN_INVALID or TOKEN_EXPIRED. */
export function verifyToken(secret: string, token: string, nowSeconds: number): TokenPayload {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(token)) throw invalid('malformed');
  const raw = Buffer.from(token, 'base64url');
  // Node's decoder ignores a dangling last character and unused low bits, so several spellings
  // decode to the same bytes; only the one spelling Herald signed is accepted.
  if (raw.toString('base64url') !== token) throw invalid('not canonical');
  if (raw.length <= MAC_BYTES) throw invalid('too short');
  const body = raw.subarray(0, raw.length - MAC_BYTES);
  checkMac(secret, body, raw.subarray(raw.length - MAC_BYTES), MAC_BYTES);
  const r = new Reader(body);
  const k = BYTE_KIND.get(r.byte());
  if (k === undefined) throw invalid('unknown kind');
  const hasOption = r.byte() === 1;
  const exp = r.uint32();
  const m = r.field();
  const p = r.field();
  const o = hasOption ? r.field() : undefined;
  if (!r.done) throw invalid('trailing bytes');
  checkExpiry(exp, nowSeconds);
  return o === undefined ? { k, m, p, exp } : { k, m, p, o, exp };
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lower-case base32: mail systems may change the case of an address, so the reply form ignores case. */
function base32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toLowerCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) throw invalid('malformed');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

const REPLY_V2_MAC_BYTES = 8;
const DAY_S = 86_400;
/** Mixed into the v2 MAC only, so no other token's body and MAC can pass as a reply token. */
const REPLY_V2_CONTEXT = Buffer.from('herald-reply-v2\n', 'utf8');
/** A v2 reply token's bytes: 16 (UUID) + 2 (expiry day) + 8 (MAC). */
const REPLY_V2_BYTES = 16 + 2 + REPLY_V2_MAC_BYTES;
/** The length of a reply token for a UUID message id: `r` and 42 base32 characters. */
export const REPLY_TOKEN_LENGTH = 1 + Math.ceil((REPLY_V2_BYTES * 8) / 5);

function replyV2Mac(secret: string, body: Buffer): Buffer {
  return mac(secret, Buffer.concat([REPLY_V2_CONTEXT, body]), REPLY_V2_MAC_BYTES);
}

/**
 * The Reply-To short form: `r` + lower-case base32 of the message id (16 bytes), the expiry as a
 * UTC day (2 bytes, rounded up: a token lives to the end of its last day) and a 64-bit MAC, 43
 * characters in all, so `name+<token>@…` fits RFC 5321's 64-octet local part for any `name` of up
 * to 20 characters (validate checks the plan's replyTo). Earlier tokens (53 characters, kind byte,
 * expiry in seconds, 80-bit MAC) are still accepted by verifyReplyToken.
 */
export function signReplyToken(secret: string, payload: ReplyTokenPayload): string {
  if (!UUID.test(payload.m)) {
    throw new HeraldError('TOKEN_TOO_LONG', `reply tokens carry UUID message ids, not "${payload.m.slice(0, 40)}"`, {
      hint: 'reply tokens need UUID message ids',
    });
  }
  const days = Math.ceil(payload.exp / DAY_S);
  if (!Number.isInteger(days) || days < 0 || days > 0xffff)
    throw new HeraldError('TOKEN_EXPIRY_INVALID', `token expiry must be epoch seconds, got ${payload.exp}`);
  const day = Buffer.alloc(2);
  day.writeUInt16BE(days);
  const body = Buffer.concat([Buffer.from(payload.m.replaceAll('-', ''), 'hex'), day]);
  return `r${base32(Buffer.concat([body, replyV2Mac(secret, body)]))}`;
}

/** Verifies a token made by signReplyToken, or by its earlier 53-character form (case-insensitive). */
export function verifyReplyToken(secret: string, token: string, nowSeconds: number): ReplyTokenPayload {
  if (token.length > REPLY_TOKEN_MAX_LENGTH || !/^r[a-z2-7]+$/i.test(token)) throw invalid('malformed');
  const raw = unbase32(token.slice(1));
  // As for links: a dangling character or unused bits would give a second spelling of the same bytes.
  if (base32(raw) !== token.slice(1).toLowerCase()) throw invalid('not canonical');
  if (raw.length === REPLY_V2_BYTES) {
    const body = raw.subarray(0, raw.length - REPLY_V2_MAC_BYTES);
    const given = raw.subarray(raw.length - REPLY_V2_MAC_BYTES);
    if (!timingSafeEqual(given, replyV2Mac(secret, body))) throw invalid('signature mismatch');
    const h = body.subarray(0, 16).toString('hex');
    const m = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    const exp = body.readUInt16BE(16) * DAY_S;
    checkExpiry(exp, nowSeconds);
    return { m, exp };
  }
  if (raw.length <= REPLY_MAC_BYTES) throw invalid('too short');
  const body = raw.subarray(0, raw.length - REPLY_MAC_BYTES);
  checkMac(secret, body, raw.subarray(raw.length - REPLY_MAC_BYTES), REPLY_MAC_BYTES);
  const r = new Reader(body);
  if (r.byte() !== KIND_BYTE.reply) throw invalid('unknown kind');
  const exp = r.uint32();
  const m = r.field();
  if (!r.done) throw invalid('trailing bytes');
  checkExpiry(exp, nowSeconds);
  return { m, exp };
}

/**
 * The return-path (VERP) form: `b` + lower-case base32 of the message id and a MAC over the
 * message id and the recipient's address, 46 characters for a UUID id. The recipient is not in the
 * token (the message names its person); binding it means a person who sees their own return path
 * can only ever report their own address as failed. No expiry: bounces may come back days later.
 */
export function signBounceToken(secret: string, messageId: string, recipient: string): string {
  const body = Buffer.concat([Buffer.of(KIND_BYTE.bounce), encodeField(messageId)]);
  const token = `b${base32(Buffer.concat([body, bounceMac(secret, body, recipient)]))}`;
  if (token.length > REPLY_TOKEN_MAX_LENGTH) {
    throw new HeraldError('TOKEN_TOO_LONG', `bounce token is ${token.length} characters; the limit is ${REPLY_TOKEN_MAX_LENGTH}`, {
      hint: 'bounce tokens need UUID message ids',
    });
  }
  return token;
}

function bounceMac(secret: string, body: Buffer, recipient: string): Buffer {
  return mac(secret, Buffer.concat([body, Buffer.from(`\n${recipient.trim().toLowerCase()}`, 'utf8')]), REPLY_MAC_BYTES);
}

/** The message id a bounce token names, unverified: the caller looks up its recipient, then calls verifyBounceToken. */
export function bounceTokenMessage(token: string): string {
  if (token.length > REPLY_TOKEN_MAX_LENGTH || !/^b[a-z2-7]+$/i.test(token)) throw invalid('malformed');
  const raw = unbase32(token.slice(1));
  if (raw.length <= REPLY_MAC_BYTES) throw invalid('too short');
  const r = new Reader(raw.subarray(0, raw.length - REPLY_MAC_BYTES));
  if (r.byte() !== KIND_BYTE.bounce) throw invalid('unknown kind');
  const m = r.field();
  if (!r.done) throw invalid('trailing bytes');
  return m;
}

/** Checks a bounce token against the address the message was sent to; throws TOKEN_INVALID. */
export function verifyBounceToken(secret: string, token: string, recipient: string): string {
  const m = bounceTokenMessage(token);
  const raw = unbase32(token.slice(1));
  const body = raw.subarray(0, raw.length - REPLY_MAC_BYTES);
  if (!timingSafeEqual(bounceMac(secret, body, recipient), raw.subarray(raw.length - REPLY_MAC_BYTES))) throw invalid('signature mismatch');
  return m;
}
