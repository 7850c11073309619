/**
 * A line for the table `npm run test:security` prints (how many fuzz cases ran, what was
 * measured). The runner sets HERALD_SECURITY_NOTES to a file; outside it the note goes nowhere.
 */
import { appendFileSync } from 'node:fs';

export function noteForReport(line: string): void {
  const file = process.env.HERALD_SECURITY_NOTES;
  if (file) appendFileSync(file, `${line.replace(/\n/g, ' ')}\n`);
}
