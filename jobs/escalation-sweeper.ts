import { escalateOverdue } from '../src/app/escalate-overdue.ts';
import type { Clock } from '../src/app/ports.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { Periodic } from './periodic.ts';

/**
 * Thin: every `intervalMs` (default 15 s), moves overdue unacknowledged escalations to level 2.
 * Each worker process runs one; the use case claims rows with SKIP LOCKED, so they never clash.
 */
export class EscalationSweeper extends Periodic {
  constructor(o: { prisma: PrismaClient; clock: Clock; intervalMs?: number; onError?: (e: unknown) => void }) {
    super(() => escalateOverdue(o), () => o.intervalMs ?? 15_000, o.onError);
  }
}
