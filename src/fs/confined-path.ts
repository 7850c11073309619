import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { unsafePathReason } from '../domain/plan/path-names.ts';

export type Confined = { ok: true; path: string } | { ok: false; reason: string; missing?: true };

/**
 * Resolves `name` (relative, as a plan or template key wrote it) inside `root`, for reading.
 * The name is checked as written (no absolute path, "..", backslash, drive letter, %xx, NUL), then
 * both paths are resolved with realpath so a symlink inside the folder cannot point outside it.
 * Only regular files are returned: a FIFO or device would block or stream forever.
 */
export function confinedFile(root: string, name: string): Confined {
  const reason = unsafePathReason(name);
  if (reason !== undefined) return { ok: false, reason };
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(path.resolve(realRoot, name));
  } catch {
    return { ok: false, reason: 'the file does not exist', missing: true };
  }
  if (!isInside(realRoot, real)) return { ok: false, reason: 'the path leads outside the folder (through a symbolic link)' };
  try {
    if (!statSync(real).isFile()) return { ok: false, reason: 'the path is not a regular file' };
  } catch {
    return { ok: false, reason: 'the file does not exist', missing: true };
  }
  return { ok: true, path: real };
}

/** True when `child` is `root` itself or below it (both already real, absolute paths). */
function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
