/** Deeper than any plan needs; far below what overflows the YAML parser's stack or memory. */
export const MAX_FLOW_DEPTH = 64;

/**
 * The line where `[`/`{` nesting first exceeds MAX_FLOW_DEPTH, or undefined. Checked on the raw text
 * before parsing: `yaml` recurses per level, and 100,000 nested brackets exhaust the process's
 * memory. Brackets inside quotes count too (conservative: no real plan nests 64 levels anyway).
 */
export function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}
