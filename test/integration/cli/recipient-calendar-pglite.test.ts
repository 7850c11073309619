import { pglite } from './apply-suite.ts';
import { recipientCalendarSuite } from './recipient-calendar-suite.ts';

recipientCalendarSuite('PGlite', pglite);
