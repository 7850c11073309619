import { isMap, isScalar, isSeq } from 'yaml';
import type { IssueSink } from './issues.ts';
import type { Loc, YamlSource } from './yaml-locate.ts';

/**
 * Control characters a plan or CSV value must not hold: C0 (tab aside), DEL, C1 and the Unicode
 * line/paragraph separators. A CR/LF in a name would end a mail header early (header injection);
 * the others are invisible in every view. Free text (`data:` values) may hold line breaks.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** The first forbidden character of `value`, described for a message (`U+000D`), or undefined. */
export function controlCharIn(value: string, multiLine = false): string | undefined {
  const m = (multiLine ? FORBIDDEN_IN_TEXT : FORBIDDEN).exec(value);
  if (m === null) return undefined;
  const cp = m[0].codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function controlCharMessage(char: string): string {
  return (
    `contains the control character ${char}` +
    `: remove it (line breaks, NUL and other invisible characters are not allowed here; they could end a mail header early)`
  );
}

/**
 * Reports every key and text value holding a control character, at its line and path. Walks the
 * tree iteratively (no stack overflow on deep nesting) and visits each node once (an alias is not
 * walked again, so an alias bomb costs its size in the file, not its expansion).
 */
export function checkControlChars(src: YamlSource, sink: IssueSink, root: Loc): void {
  const seen = new Set<unknown>();
  const stack: { loc: Loc; text: boolean }[] = [{ loc: root, text: false }];
  while (stack.length > 0) {
    const { loc, text } = stack.pop()!;
    const node = loc.node;
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (isScalar(node)) {
      const char = typeof node.value === 'string' ? controlCharIn(node.value, text) : undefined;
      if (char !== undefined) sink.error(loc, controlCharMessage(char));
    } else if (isMap(node)) {
      for (const e of src.entries(loc) ?? []) {
        const char = controlCharIn(e.key);
        if (char !== undefined) sink.error({ file: loc.file, line: e.keyLine, path: e.value.path }, `the key ${controlCharMessage(char)}`);
        // `comms[i].data` holds free text for templates, where line breaks are wanted.
        stack.push({ loc: e.value, text: text || (e.key === 'data' && /^comms\[\d+\]$/.test(loc.path)) });
      }
    } else if (isSeq(node)) {
      for (const item of src.items(loc) ?? []) stack.push({ loc: item, text });
    }
  }
}
