// Whether dist/ holds a build of the current sources. Shared by bin/herald.js (which runs the
// sources through tsx instead of a stale build) and scripts/build.mjs (`--if-stale`).
import { existsSync, readdirSync, statSync } from 'node:fs';

/** dist/.build-stamp: written by scripts/build.mjs with the time its compile started. */
export const STAMP = 'dist/.build-stamp';

function newestIn(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = new URL(e.name + (e.isDirectory() ? '/' : ''), dir);
    newest = Math.max(newest, e.isDirectory() ? newestIn(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * True when the build exists and, in a checkout (src/ present), no file under src/ or jobs/ was
 * modified after its compile started. An installed package or the Docker image has no src/, so
 * the build is current by definition. The walk stats ~150 files: a few milliseconds.
 */
export function buildIsCurrent(root) {
  const stamp = new URL(STAMP, root);
  if (!existsSync(stamp)) return false;
  const src = new URL('src/', root);
  if (!existsSync(src)) return true;
  const built = statSync(stamp).mtimeMs;
  return newestIn(src) <= built && newestIn(new URL('jobs/', root)) <= built;
}
