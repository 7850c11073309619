import type { Clock } from '../app/ports.ts';
import type { Config } from '../config/config.ts';
import type { Output } from './output.ts';

/** What every command gets: lazily loaded config, output, clock. */
export interface CliContext {
  config(): Config;
  output: Output;
  clock: Clock;
  cwd: string;
}
