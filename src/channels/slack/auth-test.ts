/** What Slack's `auth.test` says of a bot token: who it is, and the scopes granted (`x-oauth-scopes`). */
export interface SlackAuth {
  ok: boolean;
  /** Slack's error code when not ok: `invalid_auth`, `not_authed`, `token_revoked`, `account_inactive`… */
  error?: string;
  team?: string;
  user?: string;
  /** Undefined when Slack sent no `x-oauth-scopes` header. */
  scopes?: string[];
}

/** Calls `auth.test` (needs no scope, posts nothing). Throws only when Slack cannot be reached. */
export async function slackAuthTest(opts: { token: string; apiUrl?: string | undefined; timeoutMs?: number }): Promise<SlackAuth> {
  const res = await fetch(new URL('auth.test', opts.apiUrl ?? 'https://slack.com/api/'), {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  if (!res.ok) throw new Error(`Slack answered auth.test with HTTP ${res.status}`);
  const body = (await res.json()) as { ok?: boolean; error?: string; team?: string; user?: string };
  const header = res.headers.get('x-oauth-scopes');
  const scopes =
    header === null
      ? undefined
      : header
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  return {
    ok: body.ok === true,
    ...(body.error ? { error: body.error } : {}),
    ...(body.team ? { team: body.team } : {}),
    ...(body.user ? { user: body.user } : {}),
    ...(scopes ? { scopes } : {}),
  };
}
