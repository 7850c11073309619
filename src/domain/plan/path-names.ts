/**
 * What a plan may write where it names a file (the people CSV). Pure: the same rule is applied again,
 * with realpath, where the file is read (src/fs/confined-path.ts), so symlinks cannot escape either.
 */

/** Why `name` is not a safe relative path inside a folder, or undefined when it is. */
export function unsafePathReason(name: string): string | undefined {
  if (name === '') return 'the path is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'the path contains a control character';
  if (name.includes('\\')) return 'the path contains a backslash: use "/" between folders';
  if (/%[0-9A-Fa-f]{2}/.test(name)) return 'the path contains URL-encoded characters (%xx): write the characters themselves';
  if (/^[A-Za-z]:/.test(name) || name.includes(':')) return 'the path contains ":" (a drive letter, URL or stream): give a path relative to the folder';
  if (name.startsWith('/') || name.startsWith('~')) return 'the path is absolute: give a path relative to the folder';
  if (name.split('/').some((segment) => segment === '..')) return 'the path contains "..": the file must be inside the folder';
  return undefined;
}
