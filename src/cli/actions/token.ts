import { cliActor } from '../actor.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/api-tokens.ts';
import type { CliContext } from '../context.ts';

export async function tokenCreate(ctx: CliContext, opts: { role: string; project?: string; person?: string; name?: string }): Promise<void> {
  await ctx.withDb(async (db) => {
    const r = await createApiToken(db, {
      role: opts.role,
      projectKey: opts.project,
      personKey: opts.person,
      name: opts.name,
      now: ctx.clock.now(),
      actor: cliActor(),
    });
    const t = r.info;
    const feed =
      t.role === 'feed' ? `${ctx.config().PUBLIC_URL}/calendar/${t.projectKey}${t.personKey ? `/${t.personKey}` : ''}.ics?token=${r.token}` : undefined;
    ctx.output.out(
      `token ${t.name} (${t.id}) role ${t.role}${t.projectKey ? ` project ${t.projectKey}` : ''}${t.personKey ? ` person ${t.personKey}` : ''}\n${r.token}\n` +
        (feed ? `feed: ${feed}\n` : '') +
        'note: this secret is shown once; Herald keeps only its sha256',
    );
  });
}

export async function tokenRevoke(ctx: CliContext, idOrName: string): Promise<void> {
  await ctx.withDb(async (db) => {
    const t = await revokeApiToken(db, idOrName, ctx.clock.now(), cliActor());
    ctx.output.out(`token ${t.name} revoked at ${t.revokedAt}`);
  });
}

export async function tokenList(ctx: CliContext): Promise<void> {
  await ctx.withDb(async (db) => {
    const rows = await listApiTokens(db);
    if (rows.length === 0) return ctx.output.out('no tokens; create one with "herald token create --role viewer"');
    ctx.output.out(
      rows
        .map(
          (t) =>
            `${t.id}  ${t.name}  ${t.role}  ${t.projectKey ?? '*'}${t.personKey ? `/${t.personKey}` : ''}` +
            `  ${t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`}`,
        )
        .join('\n'),
    );
  });
}
