/**
 * The template context as a zod schema: the one description of what a message template can name.
 * The TypeScript type (`MessageContext`), the top-level names (`CONTEXT_ROOTS`) and the fields of
 * each fixed-shape object (`CONTEXT_FIELDS`, which `herald validate` checks templates against, so
 * a typo such as `person.fristName` is caught) all derive from it. Values are plain data
 * (JSON-safe) so a context can be stored, previewed and checked; the engine escapes them for each
 * channel on output. Render paths use the type only: nothing parses a context at run time.
 */
import { z } from 'zod';

/** A person named in a workstream, resolved from their plan id. */
const Contact = z.object({ name: z.string(), email: z.string().optional() });

/** A milestone as templates see it. */
const MilestoneContextSchema = z.object({
  key: z.string(),
  /** The plan's label, or the key when the plan gives none. */
  label: z.string(),
  /** The instant, ISO 8601 in UTC. Format it with `{{formatDate milestone.at}}` and friends. */
  at: z.string(),
  /** The instant already written out for the recipient, e.g. "Friday, January 15, 2027, 6:00 PM CST". */
  localAt: z.string(),
});
export type MilestoneContext = z.infer<typeof MilestoneContextSchema>;

/** One answer a survey offers, with the link that records it. */
const SurveyOptionContextSchema = z.object({
  value: z.string(),
  label: z.string(),
  /** Absolute answer URL (`PUBLIC_URL/r/<token>`); a path starting with `/` is prefixed with the engine's publicUrl. */
  url: z.string(),
  escalate: z.literal([true, 'urgent']).optional(),
});

/**
 * One step of a stepped series (an adoption tip), loaded from `templates/<template>/items/<key>.yaml|.md`.
 * Items may carry more fields than these; a template's `item.x` is checked against each item file.
 */
const SeriesItemSchema = z
  .object({
    key: z.string(),
    title: z.string(),
    /** Plain text; blank lines separate paragraphs (render with `{{paragraphs item.body}}`). */
    body: z.string(),
  })
  .catchall(z.unknown());
export type SeriesItem = z.infer<typeof SeriesItemSchema>;

/** Everything a message template can name, in the order `herald validate` lists it. */
export const MessageContextSchema = z.object({
  /** The project the message belongs to; `timezone` is the project's default IANA zone. */
  project: z.object({ key: z.string(), name: z.string(), timezone: z.string() }),
  /** The recipient. Dates render in their `timezone` and `locale`; `firstName` is the first word of `name`. */
  person: z.object({ id: z.string(), name: z.string(), firstName: z.string(), email: z.string().optional(), timezone: z.string(), locale: z.string() }),
  /** The audience whose variant was picked for this person (a person may belong to several). */
  audience: z.string(),
  /** The comm being sent; `optional` comms can be unsubscribed from. */
  comm: z.object({ key: z.string(), kind: z.string(), optional: z.boolean() }),
  /** The schedule anchor (`schedule.at`) or the trigger's milestone; absent for recurring and manual comms. */
  milestone: MilestoneContextSchema.optional(),
  /** Every milestone of the plan, by key, e.g. `{{milestones.cutover.localAt}}`. */
  milestones: z.record(z.string(), MilestoneContextSchema),
  /** The comm's workstream with its owner and (optional) escalation contact resolved to names. */
  workstream: z.object({ key: z.string(), name: z.string(), owner: Contact, escalation: Contact.optional() }).optional(),
  /** The comm's free `data` from the plan, as written. */
  data: z.record(z.string(), z.unknown()),
  /** The stepped-series item this occurrence renders (comms with `series` only). */
  item: SeriesItemSchema.optional(),
  /** Which occurrence this is: 0-based `index`, the due instant (ISO UTC), and the total when known. */
  occurrence: z.object({ index: z.number(), dueAt: z.string(), count: z.number().optional() }),
  /** The comm's survey with one answer link per option (survey comms only). */
  survey: z.object({ question: z.string(), comment: z.enum(['none', 'optional', 'required']), options: z.array(SurveyOptionContextSchema) }).optional(),
  /** `unsubscribe` for optional comms; `answer` is the survey page without a preset option. */
  links: z.object({ unsubscribe: z.string().optional(), answer: z.string().optional() }),
  /** The weekly digest model; filled by the digest use case, absent otherwise. Guard it with `{{#if digest}}`. */
  digest: z.unknown().optional(),
  /** The render instant, ISO UTC; relative times ("in 3 days") count from it. */
  now: z.string(),
});
export type MessageContext = z.infer<typeof MessageContextSchema>;

type ContextRoot = keyof typeof MessageContextSchema.shape;

/** The names a template may use at the top level of the context. */
export const CONTEXT_ROOTS = Object.keys(MessageContextSchema.shape) as readonly ContextRoot[];

/** The fields of a fixed-shape object (an optional one included); undefined for records, open objects and scalars. */
function fixedFields(schema: z.ZodType): readonly string[] | undefined {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject) || inner.def.catchall !== undefined) return undefined;
  return Object.keys(inner.shape);
}

/** Fields of the fixed-shape context objects, so a typo such as `person.fristName` is caught. */
export const CONTEXT_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CONTEXT_ROOTS.flatMap((root) => {
    const fields = fixedFields(MessageContextSchema.shape[root]);
    return fields ? [[root, fields] as const] : [];
  }),
);
