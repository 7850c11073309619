import type { PrismaClient } from '../../generated/prisma/client.ts';

export interface ProjectListing {
  key: string;
  name: string;
  timezone: string;
  updatedAt: Date;
}

/** A page of projects by key (`GET /api/v1/projects`): every project, or only `onlyKey` when a token is limited to one. */
export async function listProjectsPage(prisma: PrismaClient, opts: { onlyKey: string | null; skip: number; take: number }): Promise<ProjectListing[]> {
  return prisma.project.findMany({
    where: { key: opts.onlyKey || undefined },
    orderBy: { key: 'asc' },
    skip: opts.skip,
    take: opts.take,
    select: { key: true, name: true, timezone: true, updatedAt: true },
  });
}
