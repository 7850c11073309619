import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.ts';

/** The demo plan's `@T+N@` placeholders: the demo clock's start plus N minutes, as a UTC local time. */
export function anchorDemoPlan(text: string, startAt: Date): string {
  return text.replace(/@T\+(\d+)@/g, (_, n: string) => new Date(startAt.getTime() + Number(n) * 60_000).toISOString().slice(0, 16));
}

/** Writes the re-anchored plan and the example's people.csv into `dir`; returns the plan's path. */
export function writeDemoPlan(dir: string, startAt: Date): string {
  const text = readFileSync(packagePath('examples/demo/demo.plan.yaml'), 'utf8');
  const file = join(dir, 'demo.plan.yaml');
  writeFileSync(file, anchorDemoPlan(text, startAt));
  copyFileSync(packagePath('examples/people.csv'), join(dir, 'people.csv'));
  return file;
}
