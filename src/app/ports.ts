/** Injected time source: use cases never read the system clock themselves. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Reports progress of long operations (a terminal bar on a TTY, nothing otherwise). */
export interface Progress {
  step(label: string, done: number, total: number): void;
}

export const silentProgress: Progress = { step: () => {} };

export type * from './ports/access-stores.ts';
export type * from './ports/approval-stores.ts';
export type * from './ports/audit-stores.ts';
export type * from './ports/answer-stores.ts';
export type * from './ports/delivery-stores.ts';
export type * from './ports/inbound-stores.ts';
export type * from './ports/plan-stores.ts';
export type * from './ports/stores.ts';
export type * from './ports/view-stores.ts';
