import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIsCurrent } from '../../../bin/build-state.js';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A package folder whose files have the given modification times (seconds since the epoch). */
function tree(files: Record<string, number>): URL {
  const root = mkdtempSync(join(tmpdir(), 'herald-t-build-'));
  roots.push(root);
  for (const [file, mtime] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), mtime, mtime);
  }
  return pathToFileURL(`${root}/`);
}

describe('bin/herald.js: is the build current?', () => {
  it('yes when no source is newer than the build stamp', () => {
    expect(buildIsCurrent(tree({ 'dist/.build-stamp': 2000, 'src/cli/main.ts': 1000, 'jobs/runtime.ts': 2000 }))).toBe(true);
  });
  it('no when a source under src/ or jobs/ was saved after the build started', () => {
    expect(buildIsCurrent(tree({ 'dist/.build-stamp': 2000, 'src/a/b/deep.ts': 2001, 'jobs/runtime.ts': 1000 }))).toBe(false);
    expect(buildIsCurrent(tree({ 'dist/.build-stamp': 2000, 'src/main.ts': 1000, 'jobs/runtime.ts': 3000 }))).toBe(false);
  });
  it('no when there is no build', () => {
    expect(buildIsCurrent(tree({ 'src/main.ts': 1000, 'jobs/runtime.ts': 1000 }))).toBe(false);
  });
  it('yes in an installed package or image, which has the build but no sources', () => {
    expect(buildIsCurrent(tree({ 'dist/.build-stamp': 1000 }))).toBe(true);
  });
});
