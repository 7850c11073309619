/** The project nav: every page under /projects/:key, in the order the nav shows them. */
export const NAV = [
  { name: 'overview', label: 'Overview', path: '' },
  { name: 'calendar', label: 'Calendar', path: '/calendar' },
  { name: 'messages', label: 'Messages', path: '/messages' },
  { name: 'responses', label: 'Responses', path: '/responses' },
  { name: 'escalations', label: 'Escalations', path: '/escalations' },
  { name: 'approvals', label: 'Approvals', path: '/approvals' },
  { name: 'inbox', label: 'Inbox', path: '/inbox' },
  { name: 'preview', label: 'Preview', path: '/preview' },
  { name: 'plan', label: 'Plan', path: '/plan' },
  { name: 'history', label: 'History', path: '/history' },
  { name: 'audit', label: 'Audit', path: '/audit' },
] as const;

export type NavName = (typeof NAV)[number]['name'];

/** The path of a project page, e.g. projectPath('northwind-m365', 'messages') = /projects/northwind-m365/messages. */
export function projectPath(key: string, page: NavName): string {
  return `/projects/${encodeURIComponent(key)}${NAV.find((n) => n.name === page)!.path}`;
}
