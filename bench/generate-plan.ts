import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ZONES = [
  'America/Chicago',
  'America/New_York',
  'America/Denver',
  'America/Los_Angeles',
  'America/Phoenix',
  'Europe/London',
  'Asia/Kolkata',
  'Pacific/Honolulu',
];

/**
 * Writes the example plan with `people` generated people in its CSV (the inline owners stay),
 * so benchmarks run on the example's comms at a realistic scale. Returns the plan path.
 */
export function generatePlan(dir: string, people: number, exampleDir = new URL('../examples/', import.meta.url)): string {
  mkdirSync(dir, { recursive: true });
  const plan = readFileSync(new URL('m365-migration.plan.yaml', exampleDir), 'utf8');
  const rows = ['id,name,email,slack,timezone,audiences,locale'];
  for (let i = 0; i < people; i++) {
    const id = `p${String(i).padStart(5, '0')}`;
    const audiences = i % 50 === 0 ? 'end-users;service-desk' : i % 40 === 0 ? 'end-users;ops' : 'end-users';
    const slack = i % 4 === 0 ? '' : `U${String(i).padStart(8, '0')}`;
    const email = i % 25 === 7 ? '' : `${id}@bench.example`;
    rows.push(`${id},Person ${i},${email},${email || slack ? slack : 'U9' + i},${ZONES[i % ZONES.length]},${audiences},en-US`);
  }
  writeFileSync(join(dir, 'people.csv'), `${rows.join('\n')}\n`);
  const path = join(dir, 'bench.plan.yaml');
  writeFileSync(path, plan);
  return path;
}
