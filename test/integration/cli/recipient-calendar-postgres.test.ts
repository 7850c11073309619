import { postgres } from './apply-suite.ts';
import { recipientCalendarSuite } from './recipient-calendar-suite.ts';

recipientCalendarSuite('PostgreSQL', postgres);
