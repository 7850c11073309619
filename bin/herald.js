#!/usr/bin/env node
// Runs the compiled build, dist/ (made by `npm ci`, `npm run build` and `npm test`).
//
// In a checkout, sources edited since the last build would make dist/ silently stale: then (or
// when there is no build) Herald runs the TypeScript sources through tsx instead, a dev
// dependency — current code, slower start. `npm run build` makes it fast again.
import { buildIsCurrent } from './build-state.js';

let main;
if (buildIsCurrent(new URL('../', import.meta.url))) {
  ({ main } = await import('../dist/src/cli/main.js'));
} else {
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) {
    process.stderr.write('herald: no current build in dist/ and no tsx to run the sources; run `npm ci` (or `npm run build`)\n');
    process.exit(2);
  }
  tsx.register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
