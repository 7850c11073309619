import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerignore, parseDockerfile } from '../../scripts/dockerfile-dry-run.ts';

// The dry run itself (`npm run image:check`, minutes) runs in .ci/run; these check its reading.
describe('Dockerfile dry run', () => {
  it('reads instructions with their line, joining continuations and dropping comments', () => {
    expect(parseDockerfile('# c\nFROM node:20 AS build\n\nRUN a && \\\n    b\ncopy x ./\n')).toEqual([
      { op: 'FROM', args: 'node:20 AS build', line: 2 },
      { op: 'RUN', args: 'a && b', line: 4 },
      { op: 'COPY', args: 'x ./', line: 6 },
    ]);
  });

  it('matches .dockerignore paths and globs as Docker does for plain patterns', () => {
    const ignored = dockerignore('node_modules\n/src/generated/\n*.log\ndocs/**/draft\n');
    expect(['node_modules', 'node_modules/x/y.js', 'src/generated/prisma/client.ts', 'a.log', 'docs/a/b/draft'].filter(ignored)).toHaveLength(5);
    expect(['src/main.ts', 'node_modules2', 'src/generatedx', 'dir/a.log'].filter(ignored)).toEqual([]);
  });

  it('the image runs as a non-root user on compiled code and production dependencies', () => {
    const steps = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
    const final = steps.slice(steps.findLastIndex((s) => s.op === 'FROM'));
    expect(final.find((s) => s.op === 'USER')?.args).toMatch(/^(?!root$|0)/);
    expect(final.filter((s) => s.op === 'COPY').map((s) => s.args)).not.toContainEqual(expect.stringMatching(/^(\.\/?|src\/?)\s/));
    expect(steps.filter((s) => s.op === 'RUN' && s.args.includes('--omit=dev'))).toHaveLength(1);
  });
});
