/**
 * JSON columns, decoded in one place. A raw query returns jsonb parsed (pg, PGlite) or as text
 * (some Prisma adapters), so both are accepted here and nowhere else.
 */
import type { CommSpec, Plan } from '../../domain/plan/model.ts';

function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** A project's stored plan (written by apply from a validated plan). */
export function decodePlan(value: unknown): Plan {
  return parsed(value) as Plan;
}

/** A comm's stored spec (the plan's comm, written by apply). */
export function decodeCommSpec(value: unknown): CommSpec {
  return parsed(value) as CommSpec;
}
