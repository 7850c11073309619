/** API tokens, browser sessions and opt-outs, through Prisma. */
import type { ApiTokenStore, OptOutStore, SessionStore } from '../../app/ports.ts';
import type { Tx } from '../transaction.ts';

export function apiTokenStore(prisma: () => Tx): ApiTokenStore {
  return {
    create: (data) => prisma().apiToken.create({ data }),
    nameTaken: async (name) => (await prisma().apiToken.findUnique({ where: { name }, select: { id: true } })) !== null,
    list: () => prisma().apiToken.findMany({ orderBy: { createdAt: 'asc' } }),
    byHash: (hash) => prisma().apiToken.findUnique({ where: { hash } }),
    byId: (id) => prisma().apiToken.findUnique({ where: { id } }),
    byIdOrName: (idOrName, alsoId) => prisma().apiToken.findFirst({ where: alsoId ? { OR: [{ id: idOrName }, { name: idOrName }] } : { name: idOrName } }),
    setRevokedAt: (id, at) => prisma().apiToken.update({ where: { id }, data: { revokedAt: at } }),
    setLastUsedAt: async (id, at) => {
      await prisma().apiToken.update({ where: { id }, data: { lastUsedAt: at } });
    },
  };
}

export function sessionStore(prisma: () => Tx): SessionStore {
  return {
    deleteExpired: async (now) => {
      await prisma().session.deleteMany({ where: { expiresAt: { lt: now } } });
    },
    create: async (data) => {
      await prisma().session.create({ data });
    },
    byHash: (idHash) => prisma().session.findUnique({ where: { idHash } }),
    deleteByHash: async (idHash) => {
      await prisma().session.deleteMany({ where: { idHash } });
    },
    deleteOfToken: async (tokenId) => (await prisma().session.deleteMany({ where: { tokenId } })).count,
  };
}

export function optOutStore(prisma: () => Tx): OptOutStore {
  return {
    add: async (personId, commKey) => (await prisma().optOut.createMany({ data: [{ personId, commKey }], skipDuplicates: true })).count === 1,
    any: async (personId, commKeys) => (await prisma().optOut.count({ where: { personId, commKey: { in: [...commKeys] } } })) > 0,
    remove: async (personId, commKeys) => (await prisma().optOut.deleteMany({ where: { personId, commKey: { in: [...commKeys] } } })).count,
  };
}
