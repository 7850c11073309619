import { applySuite, pglite } from './apply-suite.ts';

applySuite('PGlite', pglite);
