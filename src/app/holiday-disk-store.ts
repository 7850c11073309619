/**
 * The CLI's HolidayStore: computed public holidays on disk, per user, in `$HERALD_CACHE_DIR`
 * (default `$XDG_CACHE_HOME/herald`, else `~/.cache/herald`; `off` disables it). The file is named
 * by the packages' versions, so an upgrade starts a new one. Read from the environment directly
 * (not the parsed Config): `herald validate` uses it and parses no other configuration.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { holidayCacheKey, type HolidayDays, type HolidayStore } from '../domain/schedule/holiday-data.ts';

export function diskHolidayStore(env: NodeJS.ProcessEnv): HolidayStore | undefined {
  const configured = env.HERALD_CACHE_DIR;
  if (configured === 'off') return undefined;
  const dir = configured || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'herald');
  let file: string | undefined;
  const path = () => (file ??= join(dir, `holidays-${holidayCacheKey()}.json`));
  return {
    read: () => JSON.parse(readFileSync(path(), 'utf8')) as Record<string, HolidayDays>,
    write(entries) {
      // Written whole and renamed into place, so a concurrent reader sees the old or the new file.
      mkdirSync(dirname(path()), { recursive: true });
      const tmp = `${path()}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(entries));
      renameSync(tmp, path());
    },
  };
}
