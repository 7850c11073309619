/** A starter plan shipped in the package's starters/<name>/ folder (plan.yaml, people.csv, README.md). */
export interface StarterInfo {
  name: string;
  /** One line for `herald init --help` and the prompt. */
  summary: string;
  /**
   * What `--cutover` means for this starter and where it falls by default, in business days
   * before go-live (absent: the starter has no second milestone and rejects `--cutover`).
   */
  cutover?: { label: string; businessDaysBeforeGoLive: number };
}

export const STARTERS: readonly StarterInfo[] = [
  {
    name: 'm365-mail-migration',
    summary: 'mailboxes move to Exchange Online: briefings, announcement, cutover notices, day-0 welcome, hypercare',
    cutover: { label: 'mailbox cutover (18:00)', businessDaysBeforeGoLive: 1 },
  },
  {
    name: 'mfa-rollout',
    summary: 'MFA or self-service password reset registration with a deadline, reminders until "done", enforcement day',
    cutover: { label: 'registration deadline (17:00)', businessDaysBeforeGoLive: 5 },
  },
  {
    name: 'teams-rollout',
    summary: 'Teams upgrade: announcement, reminder with an action, switch-over day, usage survey, tips',
  },
];

export function starterNamed(name: string): StarterInfo | undefined {
  return STARTERS.find((s) => s.name === name);
}
