import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from '../context.ts';
import type { NavName } from '../nav.ts';

/** One page of the dashboard: its nav entry and its routes (the list is PAGES in index.ts). */
export interface DashboardPage {
  /** The nav entry it is (or 'projects' for the list at /). */
  name: NavName | 'projects';
  register(app: FastifyInstance, deps: DashboardDeps): void | Promise<void>;
}
