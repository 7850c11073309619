import { z } from 'zod';
import { queryCalendar } from '../../../app/calendar-view.ts';
import { occurrenceTitle, queryOccurrences } from '../../../app/calendar-occurrences.ts';
import { authorize } from '../api-auth.ts';
import { ApiError } from '../api-errors.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { queryBool } from '../query-bool.ts';
import { bearer, errors, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

const CalendarEntry = z
  .object({
    key: z.string(),
    comm: z.string(),
    person: z.string(),
    channel: z.string(),
    at: z.string(),
    localAt: z.string(),
    timezone: z.string(),
    occurrence: z.number(),
    status: z.string(),
    seriesItem: z.string().optional(),
  })
  .meta({ id: 'CalendarEntry' });
const CalendarOccurrence = z
  .object({
    comm: z.string(),
    title: z.string().describe('the comm title and occurrence as a person reads them, e.g. "Hypercare checkin 2 of 3"'),
    occurrence: z.number().describe('0-based'),
    occurrences: z.number().describe("the comm's occurrences so far"),
    kind: z.string().optional(),
    seriesItem: z.string().optional(),
    first: z.string().describe('first copy due, ISO-8601 UTC'),
    last: z.string(),
    localTime: z.string().nullable().describe("HH:mm when every copy is due at that time in its person's zone"),
    people: z.number(),
    copies: z.number(),
    channels: z.object({ slack: z.number(), email: z.number() }),
    audiences: z.record(z.string(), z.number()),
    statuses: z.record(z.string(), z.number()),
  })
  .meta({ id: 'CalendarOccurrence' });

export function calendarRoutes(app: ApiScope, { db }: ApiDeps): void {
  app.get(
    '/projects/:project/calendar',
    {
      schema: {
        summary: 'The comms calendar, with the filters of `herald calendar`',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery.extend({
          from: z.iso.date().optional().describe('first day, project zone'),
          to: z.iso.date().optional().describe('last day (inclusive), project zone'),
          person: z.string().optional(),
          comm: z.string().optional(),
          includeCancelled: queryBool('include cancelled messages'),
          group: z
            .enum(['copy', 'occurrence'])
            .default('copy')
            .describe('copy: one item per person and channel; occurrence: one per comm occurrence, with counts (person filter not allowed)'),
        }),
        response: { 200: z.union([pageOf(CalendarEntry), pageOf(CalendarOccurrence)]), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const q = req.query;
      const offset = decodeCursor(q.cursor);
      if (q.group === 'occurrence') {
        if (q.person)
          throw new ApiError('BAD_QUERY', 'group=occurrence counts everyone: it does not take person', {
            hint: "drop person, or use group=copy for one person's messages",
          });
        const { plan, groups } = await queryOccurrences(db, {
          project: req.params.project,
          fromDay: q.from,
          toDay: q.to,
          comm: q.comm,
          includeCancelled: q.includeCancelled,
        });
        return page(
          groups.slice(offset, offset + q.limit + 1).map((g) => ({ ...g, title: occurrenceTitle(g, plan) })),
          offset,
          q.limit,
        );
      }
      const cal = await queryCalendar(db, {
        project: req.params.project,
        fromDay: q.from,
        toDay: q.to,
        person: q.person || undefined,
        comm: q.comm || undefined,
        includeCancelled: q.includeCancelled,
      });
      const entries = cal.entries.slice(offset, offset + q.limit + 1).map(({ explain: _explain, expectedAt: _expected, ...e }) => e);
      return page(entries, offset, q.limit);
    },
  );
}
