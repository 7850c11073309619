import { constants, randomBytes, verify } from 'node:crypto';
import { certificateThumbprint } from './tls.ts';
import type { SandboxApp, TokenGrant } from './types.ts';

/** An OAuth2 error as Entra ID writes it. */
export interface TokenError {
  status: number;
  body: { error: string; error_description: string; error_codes: number[] };
}

const fail = (status: number, error: string, code: number, text: string): TokenError => ({
  status,
  body: { error, error_description: `AADSTS${code}: ${text}`, error_codes: [code] },
});

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The client-credentials grant of the v2.0 token endpoint: a client secret, or a client assertion
 * (a JWT signed with the app's certificate key, named by its `x5t#S256` or `x5t` thumbprint).
 */
export function grantToken(
  form: URLSearchParams,
  apps: Map<string, SandboxApp>,
  tokenUrl: string,
  lifetimeSeconds: number,
  now: number,
): { grant: TokenGrant } | TokenError {
  if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  const clientId = form.get('client_id') ?? '';
  const app = apps.get(clientId);
  if (!app) return fail(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`);
  const scope = form.get('scope') ?? '';
  if (!/\/\.default$/.test(scope.split(' ').find((s) => s.endsWith('/.default')) ?? ''))
    return fail(
      400,
      'invalid_scope',
      1002012,
      'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
    );
  let credential: TokenGrant['credential'];
  const secret = form.get('client_secret');
  if (secret !== null) {
    if (!app.secret || secret !== app.secret) return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    if (app.secretExpired) return fail(401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired.`);
    credential = 'secret';
  } else if (form.get('client_assertion_type') === ASSERTION_TYPE) {
    const why = checkAssertion(form.get('client_assertion') ?? '', app, tokenUrl, now);
    if (why) return fail(401, 'invalid_client', 700027, `Client assertion failed signature validation: ${why}.`);
    credential = 'certificate';
  } else return fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  const resourceScope = scope.split(' ').find((s) => s.endsWith('/.default'))!;
  const expiresAt = now + lifetimeSeconds * 1000;
  const token = accessToken(app, resourceScope.replace(/\/\.default$/, ''), tokenUrl, now, expiresAt);
  return { grant: { clientId, credential, scope: resourceScope, token, at: now, expiresAt } };
}

/**
 * A JWT-shaped app-only access token as Entra ID issues them: `aud` the resource, `appid`, `tid`,
 * and `roles`, the application permissions with admin consent (what `herald doctor` reads). The
 * signature is random bytes: the sandbox knows its tokens by value, and clients never verify one.
 */
function accessToken(app: SandboxApp, resource: string, tokenUrl: string, now: number, expiresAt: number): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const tenant = new URL(tokenUrl).pathname.split('/')[1];
  const payload = {
    aud: resource,
    iss: `https://sts.windows.net/${tenant}/`,
    iat: Math.floor(now / 1000),
    nbf: Math.floor(now / 1000),
    exp: Math.floor(expiresAt / 1000),
    appid: app.clientId,
    idtyp: 'app',
    tid: tenant,
    roles: [...app.permissions],
    uti: randomBytes(12).toString('base64url'),
  };
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'sandbox' })}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
}

/** Why the assertion is refused, or undefined when it is good. */
function checkAssertion(jwt: string, app: SandboxApp, tokenUrl: string, now: number): string | undefined {
  if (!app.certificatePem) return 'no certificate is registered for the app';
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) return 'not a JWT';
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'not a JWT';
  }
  const thumb = certificateThumbprint(app.certificatePem);
  const named = typeof header['x5t#S256'] === 'string' ? Buffer.from(header['x5t#S256'], 'base64url').toString('hex') : undefined;
  if (named !== thumb) return 'the key is not the registered certificate (x5t#S256)';
  const pss = header.alg === 'PS256';
  if (!pss && header.alg !== 'RS256') return `unsupported alg ${String(header.alg)}`;
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    pss ? { key: app.certificatePem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : app.certificatePem,
    Buffer.from(s, 'base64url'),
  );
  if (!ok) return 'bad signature';
  if (payload.aud !== tokenUrl) return `aud is not ${tokenUrl}`;
  if (payload.iss !== app.clientId || payload.sub !== app.clientId) return 'iss and sub must be the client id';
  if (typeof payload.exp !== 'number' || payload.exp * 1000 < now) return 'expired';
  return undefined;
}
