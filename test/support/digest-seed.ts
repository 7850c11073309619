import type { PrismaClient } from '../../src/generated/prisma/client.ts';

const DAY = 86_400_000;

export const DIGEST_PLAN = 'test/fixtures/plans/digest.plan.yaml';
export const DIGEST_PROJECT = 'digest-test';

/**
 * Stores one week of news for the digest plan's project, all in the seven days before `now`:
 * Exchange red, Identity asking for a decision, the cutover moved a week, one pulse survey sent to
 * both end users and answered by one with a comment that escalated (unacknowledged past its time),
 * and Cy's address bounced.
 */
export async function seedDigestWeek(prisma: PrismaClient, now: Date): Promise<void> {
  const at = (days: number): Date => new Date(now.getTime() + days * DAY);
  const project = await prisma.project.findUniqueOrThrow({ where: { key: DIGEST_PROJECT }, include: { people: true, comms: true } });
  const person = (key: string) => project.people.find((p) => p.key === key)!;
  await prisma.workstream.update({
    where: { projectId_key: { projectId: project.id, key: 'exchange' } },
    data: { status: 'red', statusComment: 'Archive mailboxes over 100 GB fail to migrate', statusAt: at(-1), statusByPersonId: person('ana').id },
  });
  await prisma.workstream.update({
    where: { projectId_key: { projectId: project.id, key: 'identity' } },
    data: { status: 'decide', statusComment: 'Approve a hard MFA deadline for the last 50 users', statusAt: at(-2), statusByPersonId: person('dan').id },
  });
  const cutover = await prisma.milestone.findUniqueOrThrow({ where: { projectId_key: { projectId: project.id, key: 'cutover' } } });
  await prisma.milestoneMove.create({
    data: { milestoneId: cutover.id, fromAt: cutover.at, toAt: new Date(cutover.at.getTime() + 7 * DAY), source: 'cli', movedAt: at(-1) },
  });
  await prisma.milestone.update({ where: { id: cutover.id }, data: { at: new Date(cutover.at.getTime() + 7 * DAY) } });

  const pulse = project.comms.find((c) => c.key === 'pulse')!;
  const messages = await prisma.message.findMany({ where: { commId: pulse.id, occurrence: 0 } });
  for (const m of messages) await prisma.message.update({ where: { id: m.id }, data: { status: 'sent', sentAt: at(-2) } });
  const bobs = messages.find((m) => m.personId === person('bob').id)!;
  const response = await prisma.response.create({
    data: {
      projectId: project.id,
      commId: pulse.id,
      occurrence: 0,
      personId: person('bob').id,
      messageId: bobs.id,
      channel: 'email-link',
      option: 'minor',
      comment: 'Shared calendars are slow to open',
      receivedAt: at(-1),
      createdAt: at(-1),
      sourceRef: 'link:seed',
      sourceRefs: ['link:seed'],
    },
  });
  // Bob's answer escalated to Ana (the pulse has no workstream: Ana's own, Exchange), unacknowledged past its time.
  await prisma.escalation.create({
    data: {
      projectId: project.id,
      commId: pulse.id,
      occurrence: 0,
      personId: person('bob').id,
      responseId: response.id,
      option: 'minor',
      comment: response.comment,
      urgency: 'normal',
      ownerId: person('ana').id,
      secondId: person('eva').id,
      openedAt: at(-1),
      escalateAt: at(-0.5),
    },
  });
  await prisma.person.update({ where: { id: person('cy').id }, data: { emailRejectedAt: at(-1), emailRejectReason: '550 mailbox unavailable' } });
}
