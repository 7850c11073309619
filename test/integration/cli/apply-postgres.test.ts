import { applySuite, postgres } from './apply-suite.ts';

applySuite('PostgreSQL', postgres);
