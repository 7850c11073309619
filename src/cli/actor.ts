import { hostname, userInfo } from 'node:os';

/** Who runs a CLI command, for plan versions and the audit log: the OS user and host (`maria@laptop`). */
export function cliActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the environment's name, else the uid.
    user = process.env.USER ?? process.env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
  return `${user}@${hostname()}`;
}
