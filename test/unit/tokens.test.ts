import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HeraldError } from '../../src/domain/errors.ts';
import { REPLY_TOKEN_LENGTH, signReplyToken, signToken, verifyReplyToken, verifyToken, type TokenPayload } from '../../src/domain/tokens.ts';

const SECRET = 'a-test-secret-of-some-length';
const M = '0b6f1c52-3c4e-4c8f-9a53-1d2e3f4a5b6c';
const P = '7d1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const NOW = 1_800_000_000;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof HeraldError ? e.code : 'not a HeraldError';
  }
  return undefined;
}

describe('signToken / verifyToken', () => {
  it('round-trips an answer token and stays URL-safe and short', () => {
    const payload: TokenPayload = { k: 'answer', m: M, p: P, o: 'amber', exp: NOW + 3600 };
    const token = signToken(SECRET, payload);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(100);
    expect(verifyToken(SECRET, token, NOW)).toEqual(payload);
  });

  it('round-trips any ids, options and kinds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('answer', 'unsubscribe', 'reply' as const),
        fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 60 })),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        fc.integer({ min: NOW, max: 0xffffffff }),
        (k, m, p, o, exp) => {
          const payload: TokenPayload = o === undefined ? { k, m, p, exp } : { k, m, p, o, exp };
          expect(verifyToken(SECRET, signToken(SECRET, payload), NOW)).toEqual(payload);
        },
      ),
    );
  });

  it('rejects a tampered token, a wrong secret and garbage as TOKEN_INVALID', () => {
    const token = signToken(SECRET, { k: 'answer', m: M, p: P, o: 'green', exp: NOW + 60 });
    const forged = signToken(SECRET, { k: 'answer', m: M, p: P, o: 'red', exp: NOW + 60 });
    // splice the body of one with the MAC of the other
    const mixed = forged.slice(0, forged.length - 22) + token.slice(token.length - 22);
    expect(code(() => verifyToken(SECRET, mixed, NOW))).toBe('TOKEN_INVALID');
    const flipped = token[3] === 'A' ? 'B' : 'A';
    expect(code(() => verifyToken(SECRET, token.slice(0, 3) + flipped + token.slice(4), NOW))).toBe('TOKEN_INVALID');
    expect(code(() => verifyToken('another-secret-entirely', token, NOW))).toBe('TOKEN_INVALID');
    expect(code(() => verifyToken(SECRET, 'not a token!', NOW))).toBe('TOKEN_INVALID');
    expect(code(() => verifyToken(SECRET, 'abc', NOW))).toBe('TOKEN_INVALID');
    expect(code(() => verifyToken(SECRET, token.slice(0, -1), NOW))).toBe('TOKEN_INVALID');
  });

  it('rejects an expired token as TOKEN_EXPIRED, and accepts it up to its expiry second', () => {
    const token = signToken(SECRET, { k: 'unsubscribe', m: M, p: P, exp: NOW });
    expect(verifyToken(SECRET, token, NOW).k).toBe('unsubscribe');
    expect(code(() => verifyToken(SECRET, token, NOW + 1))).toBe('TOKEN_EXPIRED');
  });
});

describe('reply tokens (Reply-To short form)', () => {
  // Expiry is kept as a UTC day: a whole-day instant round-trips exactly.
  const DAY_END = Math.ceil(NOW / 86_400) * 86_400;

  it('fits an address local part with a 20-character name, is lower case, and round-trips case-insensitively', () => {
    const token = signReplyToken(SECRET, { m: M, exp: DAY_END + 86_400 * 365 });
    expect(token).toHaveLength(REPLY_TOKEN_LENGTH);
    expect(REPLY_TOKEN_LENGTH).toBe(43);
    expect(`${'p'.repeat(20)}+${token}`.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^r[a-z2-7]+$/);
    expect(verifyReplyToken(SECRET, token, NOW)).toEqual({ m: M, exp: DAY_END + 86_400 * 365 });
    expect(verifyReplyToken(SECRET, token.toUpperCase(), NOW).m).toBe(M);
  });

  it('rounds the expiry up to the end of its UTC day, never earlier', () => {
    const token = signReplyToken(SECRET, { m: M, exp: NOW });
    expect(verifyReplyToken(SECRET, token, NOW).exp).toBe(DAY_END);
    expect(verifyReplyToken(SECRET, token, DAY_END).m).toBe(M);
  });

  it('rejects tampering and expiry', () => {
    const token = signReplyToken(SECRET, { m: M, exp: NOW });
    const last = token.at(-2) === 'a' ? 'b' : 'a';
    expect(code(() => verifyReplyToken(SECRET, token.slice(0, -2) + last + token.slice(-1), NOW))).toBe('TOKEN_INVALID');
    expect(code(() => verifyReplyToken('another-secret-entirely', token, NOW))).toBe('TOKEN_INVALID');
    expect(code(() => verifyReplyToken(SECRET, token, DAY_END + 1))).toBe('TOKEN_EXPIRED');
    expect(code(() => verifyReplyToken(SECRET, 'r!!', NOW))).toBe('TOKEN_INVALID');
  });

  it('still accepts the earlier 53-character tokens already sent (kind byte, expiry in seconds, 80-bit MAC)', () => {
    // Signed by the earlier signReplyToken with SECRET, for message M, expiring at NOW.
    const legacy = 'ranvutuqaaefw6hcshrhezd42kmos4p2klnwalxszmwei7ivkil5q';
    expect(legacy).toHaveLength(53);
    expect(verifyReplyToken(SECRET, legacy, NOW)).toEqual({ m: M, exp: NOW });
    expect(code(() => verifyReplyToken(SECRET, legacy, NOW + 1))).toBe('TOKEN_EXPIRED');
    expect(code(() => verifyReplyToken('another-secret-entirely', legacy, NOW))).toBe('TOKEN_INVALID');
  });

  it('refuses message ids that are not UUIDs', () => {
    expect(code(() => signReplyToken(SECRET, { m: 'x'.repeat(60), exp: NOW }))).toBe('TOKEN_TOO_LONG');
  });
});
