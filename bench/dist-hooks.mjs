/**
 * BENCH_WORKER_BUILD=dist: the forked bench worker runs the compiled build (dist/, `npm run build`
 * first) instead of the TypeScript through tsx, as `herald worker` does in production; its
 * --cpu-prof profile then names functions and lines of the code that really runs.
 * Registered after tsx, so this hook sees each import first: a src/ or jobs/ module resolves to its
 * compiled twin in dist/.
 */
import { register } from 'node:module';

register('./dist-resolve.mjs', import.meta.url);
