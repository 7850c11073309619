import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { HeraldError } from '../../domain/errors.ts';

/** The app registration, as the MS_* settings give it. */
export interface MicrosoftCredentials {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** Path of a PEM file with the certificate and its private key. */
  certificatePath?: string;
  /** `https://login.microsoftonline.com`, a sovereign cloud's, or the sandbox's. */
  authorityHost: string;
  /** Timeout of one token request; default 15 s. */
  timeoutMs?: number;
}

export interface AccessToken {
  token: string;
  /** When it expires, ms since the epoch. */
  expiresAt: number;
}

/** App-only tokens for one scope (`https://graph.microsoft.com/.default`, `https://outlook.office365.com/.default`). */
export type MicrosoftTokens = (scope: string, opts?: { renew?: boolean }) => Promise<AccessToken>;

/** What a token-endpoint refusal means, by AADSTS number, and what to do about it. */
const AADSTS_HINTS: Record<number, string> = {
  7000222: 'the client secret has expired: add a new one under the app registration\'s "Certificates & secrets" and set MS_CLIENT_SECRET',
  7000215: "MS_CLIENT_SECRET is not a secret of this app (use the secret's Value, not its Secret ID)",
  700016: 'MS_CLIENT_ID is not an app registered in tenant MS_TENANT_ID',
  90002: 'MS_TENANT_ID names no tenant (use the Directory (tenant) ID of the app registration)',
  700027: 'the certificate in MS_CLIENT_CERTIFICATE_PATH is not the one uploaded to the app registration',
  7000218: 'set MS_CLIENT_SECRET or MS_CLIENT_CERTIFICATE_PATH',
};

/** The PEM's certificate thumbprint and private key, as msal-node wants a certificate credential. */
function certificateCredential(path: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new HeraldError('CONFIG_INVALID', `MS_CLIENT_CERTIFICATE_PATH: cannot read ${path}`, { cause });
  }
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!cert || !key)
    throw new HeraldError('CONFIG_INVALID', 'MS_CLIENT_CERTIFICATE_PATH: the PEM file must hold the certificate and its unencrypted private key');
  const thumbprintSha256 = new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase();
  return { thumbprintSha256, privateKey: key, x5c: cert };
}

/**
 * Client-credentials tokens from msal-node's ConfidentialClientApplication, which keeps them in
 * its in-memory cache and fetches a new one once the cached one is within five minutes of expiry
 * (so a token is refreshed before it expires, never used after). `renew` skips the cache (after
 * a 401). A custom MS_AUTHORITY_HOST is listed in `knownAuthorities`: msal-node then trusts it
 * instead of asking Microsoft's instance discovery about it.
 */
export function microsoftTokens(c: MicrosoftCredentials): MicrosoftTokens {
  const host = new URL(c.authorityHost);
  const auth: Configuration['auth'] = {
    clientId: c.clientId,
    authority: `${host.origin}/${c.tenantId}`,
    knownAuthorities: [host.host],
    ...(c.clientSecret ? { clientSecret: c.clientSecret } : {}),
    ...(c.certificatePath ? { clientCertificate: certificateCredential(c.certificatePath) } : {}),
  };
  // msal-node (and jsonwebtoken) load with the first token, not with every worker that never uses them.
  let app: Promise<ConfidentialClientApplication> | undefined;
  const client = (): Promise<ConfidentialClientApplication> =>
    (app ??= import('@azure/msal-node').then(({ ConfidentialClientApplication: App }) => new App({ auth })));
  const timeoutMs = c.timeoutMs ?? 15_000;
  return async (scope, { renew = false } = {}) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        client().then((a) => a.acquireTokenByClientCredential({ scopes: [scope], skipCache: renew })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new HeraldError('MS_TOKEN_UNREACHABLE', `${host.host} gave no token within ${timeoutMs} ms`, { retryable: true })),
            timeoutMs,
          );
        }),
      ]);
      if (!result?.accessToken) throw new HeraldError('MS_TOKEN_REFUSED', `${host.host} returned no access token for ${scope}`, { retryable: true });
      return { token: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() + 3600_000 };
    } catch (e) {
      throw tokenError(e, host.host);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** An msal-node failure as a HeraldError: a refusal by the directory is permanent, with its hint; the rest is retryable. */
function tokenError(e: unknown, host: string): HeraldError {
  if (e instanceof HeraldError) return e;
  const err = (e ?? {}) as { errorCode?: unknown; errorMessage?: unknown; errorNo?: unknown; message?: unknown; status?: unknown };
  const code = typeof err.errorCode === 'string' ? err.errorCode : '';
  const text = typeof err.errorMessage === 'string' ? err.errorMessage : typeof err.message === 'string' ? err.message : String(e);
  const aadsts = Number(/AADSTS(\d+)/.exec(text)?.[1] ?? err.errorNo ?? NaN);
  const refused = ['invalid_client', 'unauthorized_client', 'invalid_request', 'invalid_scope', 'invalid_grant', 'unsupported_grant_type'].includes(code);
  if (refused || AADSTS_HINTS[aadsts]) {
    const first = text.split(/\r?\n/)[0]!.replace(/^[a-z_]+: /, '');
    return new HeraldError('MS_TOKEN_REFUSED', `Microsoft sign-in refused Herald's app (${code || 'error'}): ${first}`, {
      hint: AADSTS_HINTS[aadsts] ?? 'check MS_TENANT_ID, MS_CLIENT_ID and MS_CLIENT_SECRET or MS_CLIENT_CERTIFICATE_PATH',
      cause: e,
    });
  }
  return new HeraldError('MS_TOKEN_UNREACHABLE', `no token from ${host}: ${text.split(/\r?\n/)[0]}`, { retryable: true, cause: e });
}
