/**
 * JSON columns, decoded once, here. Project.plan and Comm.spec are written by apply from a
 * validated plan (src/domain/plan), so reading them checks the shape the code relies on (keys,
 * ids, zones, channels, survey options) with zod rather than trusting an unchecked cast; the
 * rest (schedules, offsets, triggers, template data) passes through as stored. A raw
 * query returns jsonb parsed (pg, PGlite) or as text (some Prisma adapters): both are accepted.
 */
import { z } from 'zod';
import type { CommSpec, Plan } from '../../domain/plan/model.ts';

// Only what every stored plan has had and the code cannot do without: a plan applied by an older
// Herald must still read (fields added since are optional in the model or defaulted where read).
const SurveyOptionColumn = z.object({ value: z.string(), label: z.string() }).loose();
const SurveyColumn = z.object({ question: z.string(), options: z.array(SurveyOptionColumn) }).loose();

const CommColumn = z
  .object({
    key: z.string(),
    kind: z.string(),
    audiences: z.array(z.string()),
    channels: z.array(z.enum(['slack', 'email', 'preferred'])),
    survey: SurveyColumn.optional(),
  })
  .loose();

const PlanColumn = z
  .object({
    project: z.object({ key: z.string(), name: z.string(), timezone: z.string() }).loose(),
    milestones: z.array(z.object({ key: z.string(), at: z.string() }).loose()),
    workstreams: z.array(z.object({ key: z.string() }).loose()),
    audiences: z.array(z.object({ key: z.string() }).loose()),
    people: z.array(z.object({ id: z.string(), timezone: z.string() }).loose()),
    comms: z.array(CommColumn),
  })
  .loose();

/**
 * Checks `value` against `schema` (a ZodError says what is wrong) and gives back the value itself,
 * typed as the model it was written from: not zod's copy, which would reorder keys and cost a copy
 * of a megabyte plan.
 */
function checked<T>(schema: z.ZodType, value: unknown): T {
  schema.parse(value);
  return value as T;
}

function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** A project's stored plan. */
export function decodePlan(value: unknown): Plan {
  return checked<Plan>(PlanColumn, parsed(value));
}

/** A comm's stored spec (the plan's comm). */
export function decodeCommSpec(value: unknown): CommSpec {
  return checked<CommSpec>(CommColumn, parsed(value));
}

const DetailColumn = z.record(z.string(), z.unknown());
const FilesColumn = z.array(z.object({ name: z.string(), text: z.string() }));

/** An audit entry's detail or a plan version's summary: an object of whatever the action recorded. */
export function decodeDetail(value: unknown): Record<string, unknown> {
  return DetailColumn.parse(parsed(value));
}

/** A plan version's other files (people CSVs). */
export function decodeSourceFiles(value: unknown): Array<{ name: string; text: string }> {
  return FilesColumn.parse(parsed(value));
}
