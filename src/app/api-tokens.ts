import { createHash, randomBytes } from 'node:crypto';
import { HeraldError, NotFoundError } from '../domain/errors.ts';
import type { ApiTokenRow, StoreDeps } from './ports.ts';
import { closeSessionsOfToken } from './sessions.ts';

/**
 * viewer < editor < admin for the API. `feed` is outside that ladder: read-only, for one project's
 * calendar feed (or one person's, with personKey), and refused by every /api/v1 route, so a feed
 * address pasted into a shared calendar gives away nothing else.
 */
export const API_ROLES = ['viewer', 'editor', 'admin', 'feed'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: ApiRole;
  projectKey: string | null;
  /** Feed tokens for one person: their plan id (in projectKey's project). */
  personKey: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Tokens start with a fixed prefix so secret scanners and people recognise them. */
const PREFIX = 'hrld_';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function info(row: ApiTokenRow): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as ApiRole,
    projectKey: row.projectKey,
    personKey: row.personKey,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a token; the secret is returned here only and stored as its sha256. */
export async function createApiToken(
  deps: StoreDeps,
  input: {
    role: string;
    projectKey?: string | undefined;
    personKey?: string | undefined;
    name?: string | undefined;
    now: Date;
    /** Who creates it, for the audit log (user@host for the CLI); default "herald". */
    actor?: string;
  },
): Promise<{ token: string; info: ApiTokenInfo }> {
  if (!(API_ROLES as readonly string[]).includes(input.role)) {
    throw new HeraldError('TOKEN_ROLE_INVALID', `unknown role "${input.role}"`, { hint: `use one of ${API_ROLES.join(', ')}` });
  }
  if (input.role === 'feed' && !input.projectKey) {
    throw new HeraldError('TOKEN_PROJECT_INVALID', 'a feed token is for one project: add --project KEY', {
      hint: 'herald token create --role feed --project KEY [--person ID]',
    });
  }
  if (input.personKey && input.role !== 'feed') {
    throw new HeraldError(
      'TOKEN_PERSON_INVALID',
      `--person makes a feed token for one person's calendar; a ${input.role} token cannot be limited to a person`,
      { hint: 'use --role feed --project KEY --person ID' },
    );
  }
  const { stores } = deps;
  const projectId = input.projectKey ? await stores.projects.findId(input.projectKey) : null;
  if (input.projectKey && !projectId) throw new NotFoundError(`project ${input.projectKey}`, 'apply its plan first, or leave out --project');
  if (input.personKey && projectId && !(await stores.people.findId(projectId, input.personKey))) {
    throw new NotFoundError(`person ${input.personKey} in project ${input.projectKey}`, `see the people in: herald calendar ${input.projectKey}`);
  }
  const secret = PREFIX + randomBytes(32).toString('base64url');
  const name = input.name ?? `${input.role}-${input.now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
  if (await stores.apiTokens.nameTaken(name)) {
    throw new HeraldError('TOKEN_NAME_TAKEN', `a token named "${name}" already exists`, { hint: 'pick another --name, or revoke the old one first' });
  }
  const row = await stores.transaction(async (tx) => {
    const created = await tx.apiTokens.create({
      name,
      role: input.role,
      projectKey: input.projectKey ?? null,
      personKey: input.personKey ?? null,
      hash: hashToken(secret),
      createdAt: input.now,
    });
    await tx.audit.append({
      at: input.now,
      actor: input.actor ?? 'herald',
      action: 'token.created',
      projectKey: created.projectKey,
      ref: created.name,
      detail: { role: created.role, ...(created.personKey ? { person: created.personKey } : {}) },
    });
    return created;
  });
  return { token: secret, info: info(row) };
}

export async function listApiTokens({ stores }: StoreDeps): Promise<ApiTokenInfo[]> {
  return (await stores.apiTokens.list()).map(info);
}

/** Revokes by id or name; revoking twice is not an error. */
export async function revokeApiToken(deps: StoreDeps, idOrName: string, now: Date, actor = 'herald'): Promise<ApiTokenInfo> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const row = await deps.stores.apiTokens.byIdOrName(idOrName, isUuid);
  if (!row) throw new NotFoundError(`token ${idOrName}`, 'see "herald token list"');
  // Its browser sessions end with it (each request re-checks the token too; this removes the rows).
  await closeSessionsOfToken(deps, row.id);
  if (row.revokedAt) return info(row);
  return info(
    await deps.stores.transaction(async (tx) => {
      const revoked = await tx.apiTokens.setRevokedAt(row.id, now);
      await tx.audit.append({ at: now, actor, action: 'token.revoked', projectKey: revoked.projectKey, ref: revoked.name, detail: { role: revoked.role } });
      return revoked;
    }),
  );
}

/** The live token for a presented secret, or null (unknown or revoked). */
export async function authenticateApiToken({ stores }: StoreDeps, secret: string, now: Date): Promise<ApiTokenInfo | null> {
  const row = await stores.apiTokens.byHash(hashToken(secret));
  if (!row || row.revokedAt) return null;
  // lastUsedAt is advisory: one write a minute per token at most, not one per request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await stores.apiTokens.setLastUsedAt(row.id, now);
  }
  return info(row);
}

/** The live token with this id, or null (unknown or revoked): a dashboard session re-checks it on every request. */
export async function liveApiTokenById({ stores }: StoreDeps, id: string): Promise<ApiTokenInfo | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const row = await stores.apiTokens.byId(id);
  return row && !row.revokedAt ? info(row) : null;
}
