/**
 * TRUST_PROXY: which reverse proxies may tell Herald the client's address (X-Forwarded-For), as
 * Fastify's `trustProxy` takes it. The rate limits key on that address, so believing the header
 * without a proxy in front would let any client pick its own key.
 *   unset, `false`  the peer address; X-Forwarded-For is ignored (Herald faces the internet)
 *   `true`          trust every hop (only when a proxy always overwrites the header)
 *   `1`, `2`, …     trust that many proxies in front of Herald (the usual: `1`)
 *   `10.0.0.0/8,127.0.0.1`  trust proxies at these addresses or CIDR ranges only
 */
import { isIP } from 'node:net';
import { z } from 'zod';

export type TrustProxy = boolean | number | string[];

const CIDR = /^(.+?)(?:\/(\d{1,3}))?$/;

function address(entry: string): boolean {
  const m = CIDR.exec(entry);
  if (!m) return false;
  const version = isIP(m[1]!);
  if (version === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (version === 4 ? 32 : 128);
}

export const trustProxySchema = z
  .string()
  .trim()
  .optional()
  .transform((raw, ctx): TrustProxy => {
    if (raw === undefined || raw === '' || /^false$/i.test(raw)) return false;
    if (/^true$/i.test(raw)) return true;
    if (/^\d{1,2}$/.test(raw)) return Number(raw);
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.filter((e) => !address(e));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message:
          `${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an IP address or CIDR range` +
          `; use false, true, a hop count such as 1, or a comma-separated list such as 10.0.0.0/8,127.0.0.1`,
      });
      return false;
    }
    return entries;
  });
