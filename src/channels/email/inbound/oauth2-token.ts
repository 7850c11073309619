import { HeraldError } from '../../../domain/errors.ts';

/**
 * OAuth2 access tokens for IMAP XOAUTH2, where basic auth is switched off (Exchange Online,
 * Gmail). Either a fixed token (IMAP_OAUTH2_ACCESS_TOKEN, refreshed by something else), or one
 * fetched from the token endpoint: the refresh-token grant when IMAP_OAUTH2_REFRESH_TOKEN is set
 * (Gmail, delegated Microsoft 365 access), else the client-credentials grant (a Microsoft 365
 * app with the IMAP.AccessAsApp permission, scope `https://outlook.office365.com/.default`).
 */
export interface OAuth2Options {
  accessToken?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  scope?: string;
  /** Timeout of a token request; default 15 s. */
  timeoutMs?: number;
}

export type TokenProvider = (opts?: { renew?: boolean }) => Promise<string>;

/** Renew this long before the token says it expires. */
const EARLY_MS = 60_000;

export function oauth2TokenProvider(o: OAuth2Options, now: () => number = Date.now): TokenProvider {
  const fixed = o.accessToken;
  if (fixed && !o.tokenUrl) return async () => fixed;
  const tokenUrl = o.tokenUrl;
  if (!tokenUrl || !o.clientId) {
    throw new HeraldError('CONFIG_INVALID', 'IMAP_OAUTH2_TOKEN_URL and IMAP_OAUTH2_CLIENT_ID are both needed to fetch IMAP access tokens');
  }
  let cached: { token: string; until: number } | undefined;
  return async ({ renew = false } = {}) => {
    if (cached && !renew && now() < cached.until) return cached.token;
    const form = new URLSearchParams({ client_id: o.clientId! });
    if (o.clientSecret) form.set('client_secret', o.clientSecret);
    if (o.refreshToken) {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', o.refreshToken);
    } else form.set('grant_type', 'client_credentials');
    if (o.scope) form.set('scope', o.scope);
    let res: Response;
    try {
      res = await fetch(tokenUrl, { method: 'POST', body: form, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(o.timeoutMs ?? 15_000) });
    } catch (cause) {
      throw new HeraldError('IMAP_OAUTH2_UNREACHABLE', `the OAuth2 token endpoint ${new URL(tokenUrl).host} did not answer`, { retryable: true, cause });
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) {
      throw new HeraldError(
        'IMAP_OAUTH2_REFUSED',
        `the OAuth2 token endpoint refused: ${body.error ?? res.status}${body.error_description ? ` (${body.error_description})` : ''}`,
        {
          retryable: res.status >= 500,
          hint: 'check IMAP_OAUTH2_CLIENT_ID, IMAP_OAUTH2_CLIENT_SECRET, IMAP_OAUTH2_REFRESH_TOKEN and IMAP_OAUTH2_SCOPE',
        },
      );
    }
    cached = { token: body.access_token, until: now() + Math.max(0, (body.expires_in ?? 3600) * 1000 - EARLY_MS) };
    return cached.token;
  };
}
