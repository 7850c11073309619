import { createApiToken, listApiTokens, revokeApiToken } from '../../app/api-tokens.ts';
import type { CliContext } from '../context.ts';
import { withDb } from '../with-db.ts';

export async function tokenCreate(ctx: CliContext, opts: { role: string; project?: string; name?: string }): Promise<void> {
  await withDb(ctx, async (db) => {
    const r = await createApiToken(db.prisma, { role: opts.role, projectKey: opts.project, name: opts.name, now: ctx.clock.now() });
    ctx.output.out(
      `token ${r.info.name} (${r.info.id}) role ${r.info.role}${r.info.projectKey ? ` project ${r.info.projectKey}` : ''}\n${r.token}\n` +
        'note: this secret is shown once; Herald keeps only its sha256',
    );
  });
}

export async function tokenRevoke(ctx: CliContext, idOrName: string): Promise<void> {
  await withDb(ctx, async (db) => {
    const t = await revokeApiToken(db.prisma, idOrName, ctx.clock.now());
    ctx.output.out(`token ${t.name} revoked at ${t.revokedAt}`);
  });
}

export async function tokenList(ctx: CliContext): Promise<void> {
  await withDb(ctx, async (db) => {
    const rows = await listApiTokens(db.prisma);
    if (rows.length === 0) return ctx.output.out('no tokens; create one with "herald token create --role viewer"');
    ctx.output.out(
      rows
        .map((t) => `${t.id}  ${t.name}  ${t.role}  ${t.projectKey ?? '*'}  ${t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`}`)
        .join('\n'),
    );
  });
}
