import { createHash } from 'node:crypto';
import type { SandboxUser } from '../sandbox/slack-server.ts';

interface PlanPerson {
  id: string;
  name: string;
  email?: string | undefined;
  slack?: string | undefined;
}

/** A stable, Slack-shaped user id for a person the plan knows only by e-mail. */
export function demoSlackId(personId: string): string {
  return `UD${createHash('sha256').update(personId).digest('hex').slice(0, 9).toUpperCase()}`;
}

/**
 * The demo Slack workspace's members, as in a real one: everyone with a Slack id, and everyone the
 * plan knows only by e-mail (a `channels: [slack, …]` comm finds them with users.lookupByEmail at
 * send time). Leaving the latter out made every such Slack message `failed` with users_not_found
 * (the cutover notice to Raj and the e-mail-only service-desk people), which the story never meant.
 * People with neither are in no workspace and are planned no Slack message.
 */
export function demoWorkspace(people: readonly PlanPerson[]): SandboxUser[] {
  return people
    .filter((p) => p.slack || p.email)
    .map((p) => ({ id: p.slack || demoSlackId(p.id), email: p.email ?? `${p.id}@northwind.example`, name: p.name }));
}

/** The workspace member a person is: their plan's Slack id, else the member with their e-mail. */
export function slackUserOf(p: PlanPerson, members: readonly SandboxUser[]): string | undefined {
  if (p.slack) return p.slack;
  const email = p.email?.toLowerCase();
  return email ? members.find((m) => m.email.toLowerCase() === email)?.id : undefined;
}
