import { fail, ok, warn, type Check } from './check.ts';

/**
 * The Microsoft 365 checks of `herald doctor` (EMAIL_TRANSPORT=graph, SMTP_AUTH=oauth2,
 * INBOUND_GRAPH_MAILBOX): a token is granted to the app registration, each project's sender
 * mailbox resolves and may be sent from with Mail.Send, and the reply mailbox is readable. The
 * probes (msal-node, Herald's Graph client) are built in src/main/doctor.ts; nothing is sent.
 */

/** What a probe learnt about the app's token: its application permissions (`roles`), when the token says. */
export interface TokenFacts {
  roles?: string[] | undefined;
}

/** A failed Graph call as the probes report it (Herald's GraphError has these). */
interface GraphFailure {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  hint?: unknown;
}

const RBAC_FIX =
  'scope the app to this mailbox with RBAC for Applications (New-ManagementScope, then New-ManagementRoleAssignment -App MS_CLIENT_ID -Role \'Application Mail.Send\' -CustomResourceScope …), or lift the ApplicationAccessPolicy that leaves it out; see README "Microsoft 365"';

/** The `roles` claim of a JWT access token (app-only tokens carry their application permissions there); undefined when the token is opaque. */
export function tokenRoles(token: string): string[] | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return undefined;
  }
}

function firstLine(e: unknown): string {
  const m = (e as GraphFailure)?.message;
  return (typeof m === 'string' ? m : String(e)).split('\n')[0]!.slice(0, 200);
}

function statusOf(e: unknown): number | undefined {
  const s = (e as GraphFailure)?.status;
  return typeof s === 'number' ? s : undefined;
}

function codeOf(e: unknown): string {
  const c = (e as GraphFailure)?.code;
  return typeof c === 'string' ? c : '';
}

/** The token of the app could not be had: the sign-in's own message and its per-AADSTS hint. */
function tokenFailure(e: unknown): ReturnType<typeof fail> {
  const hint = (e as GraphFailure)?.hint;
  return fail(
    firstLine(e),
    typeof hint === 'string'
      ? hint
      : 'check MS_TENANT_ID, MS_CLIENT_ID and MS_CLIENT_SECRET or MS_CLIENT_CERTIFICATE_PATH, and that MS_AUTHORITY_HOST is reachable',
  );
}

/** `microsoft-token`: msal-node is granted a token for the MS_* app (client credentials). */
export function microsoftTokenCheck(probe: () => Promise<TokenFacts>, what: { clientId: string; resource: string }): Check {
  return {
    name: 'microsoft-token',
    async run() {
      try {
        const facts = await probe();
        const roles = facts.roles ? ` with ${facts.roles.length ? facts.roles.join(', ') : 'no application permissions'}` : '';
        return ok(`app ${what.clientId} granted a token for ${what.resource}${roles}`);
      } catch (e) {
        return tokenFailure(e);
      }
    },
  };
}

const consentFix = (permission: string): string =>
  `add the Microsoft Graph application permission ${permission} to the app registration (API permissions → Add a permission → Application permissions) and grant admin consent`;

/** What one mailbox's Graph failure means: not in the tenant, refused (RBAC), or something else. */
function mailboxFailure(mailbox: string, e: unknown, role: string, inToken: boolean | undefined, fixOther: string): ReturnType<typeof fail> {
  const status = statusOf(e);
  const code = codeOf(e);
  if (status === 404 || code === 'ErrorInvalidUser' || code === 'MailboxNotEnabledForRESTAPI' || code === 'ResourceNotFound') {
    return fail(
      `${mailbox}: no such mailbox in the tenant (${code || status}: ${firstLine(e)})`,
      role === 'Mail.Send'
        ? "set the plan's project.sender.email to a user or shared mailbox of the tenant (with an Exchange Online licence), then `herald apply`"
        : 'set INBOUND_GRAPH_MAILBOX to a user or shared mailbox of the tenant',
    );
  }
  if (status === 403 || code === 'ErrorAccessDenied') {
    // Not in the token and not granted by Exchange either: neither grant exists.
    if (inToken === false)
      return fail(
        `${mailbox}: ${role} is not granted to the app (not in its token's roles, and Exchange denies the mailbox: 403 ${code || 'Forbidden'})`,
        `${consentFix(role)}, or assign it for this mailbox with RBAC for Applications (role 'Application ${role}'); see README "Microsoft 365"`,
      );
    return fail(`${mailbox}: ${role} is granted but Exchange denies the app this mailbox (403 ${code || 'Forbidden'})`, RBAC_FIX.replace('Mail.Send', role));
  }
  if (status === 401) return fail(`${mailbox}: Microsoft Graph refused the token (401 ${code})`, 'check that MS_GRAPH_URL is the Graph of the tenant’s cloud');
  return fail(`${mailbox}: ${firstLine(e)}`, fixOther);
}

/** The token's facts, or the failed line when there is no token (the microsoft-token line says why). */
async function tokenOrFail(token: () => Promise<TokenFacts>, what: string): Promise<TokenFacts | ReturnType<typeof fail>> {
  try {
    return await token();
  } catch (e) {
    return fail(`no token, so ${what} not checked: ${firstLine(e)}`, 'fix the microsoft-token line first');
  }
}

const isFailure = (x: TokenFacts | ReturnType<typeof fail>): x is ReturnType<typeof fail> => 'status' in x;

/**
 * `graph-send`: every mailbox Herald sends from (each project's `sender.email`) resolves and the
 * app may send as it: a sendMail with a message that has no recipient comes back refused for that
 * reason (so nothing is ever sent), not with 404 or 403. The token's `roles` tell an Entra grant of
 * Mail.Send from an RBAC for Applications one (which never shows in the token) and pick the hint.
 */
export function graphSendCheck(
  probes: { token: () => Promise<TokenFacts>; mailboxes: () => Promise<string[]>; send: (mailbox: string) => Promise<void> },
  fixOther = 'check MS_GRAPH_URL and the network path to Microsoft Graph',
): Check {
  return {
    name: 'graph-send',
    async run() {
      const facts = await tokenOrFail(probes.token, 'the sender mailboxes');
      if (isFailure(facts)) return facts;
      // Mail.Send in the roles is the Entra grant; RBAC for Applications grants it in Exchange instead, outside the token, so only the probe can tell.
      const inToken = facts.roles ? facts.roles.includes('Mail.Send') : undefined;
      let mailboxes: string[];
      try {
        mailboxes = await probes.mailboxes();
      } catch (e) {
        return warn(`cannot read the sender mailboxes of the projects: ${firstLine(e)}`, 'fix the database line, then run `herald doctor` again');
      }
      if (!mailboxes.length) return warn('no project applied yet: no sender mailbox to check', 'run `herald apply plan.yaml`, then `herald doctor` again');
      for (const mailbox of mailboxes) {
        try {
          await probes.send(mailbox);
        } catch (e) {
          return mailboxFailure(mailbox, e, 'Mail.Send', inToken, fixOther);
        }
      }
      const granted =
        inToken === true
          ? 'Mail.Send granted'
          : inToken === false
            ? 'Mail.Send granted by Exchange (RBAC for Applications)'
            : 'sendMail allowed (the token does not list its roles)';
      return ok(`${mailboxes.join(', ')}: mailbox${mailboxes.length === 1 ? '' : 'es'} found, ${granted}`);
    },
  };
}

/** `graph-inbox`: the reply mailbox (INBOUND_GRAPH_MAILBOX) answers the inbox delta query, and the app may mark mail read (Mail.ReadWrite). */
export function graphInboxCheck(probes: { token: () => Promise<TokenFacts>; read: () => Promise<void> }, mailbox: string): Check {
  return {
    name: 'graph-inbox',
    async run() {
      const facts = await tokenOrFail(probes.token, mailbox);
      if (isFailure(facts)) return facts;
      const inToken = facts.roles ? facts.roles.includes('Mail.ReadWrite') : undefined;
      try {
        await probes.read();
      } catch (e) {
        return mailboxFailure(mailbox, e, 'Mail.ReadWrite', inToken, 'check INBOUND_GRAPH_MAILBOX and MS_GRAPH_URL');
      }
      // Readable (Mail.Read, or an Exchange grant), but marking read needs Mail.ReadWrite: unless RBAC grants it, each reply would be read again.
      if (inToken === false)
        return warn(
          `${mailbox}: inbox readable, but Mail.ReadWrite is not in the token's roles${facts.roles?.includes('Mail.Read') ? ' (Mail.Read cannot mark mail read)' : ''}`,
          `${consentFix('Mail.ReadWrite')}, unless RBAC for Applications already assigns 'Application Mail.ReadWrite' for this mailbox`,
        );
      return ok(`${mailbox}: inbox readable through Graph (delta query), Mail.ReadWrite granted`);
    },
  };
}
