/** Raw header values by lower-case name, unfolded (a repeated header keeps its last value), as the sandboxes record them. */
export function headerValues(headerLines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of headerLines)
    headers[h.key] = h.line
      .slice(h.line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  return headers;
}
