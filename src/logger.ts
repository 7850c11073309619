import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stderr (stdout stays for command output); level from LOG_LEVEL. */
export function createLogger(level: string, name = 'herald'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
