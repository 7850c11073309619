/** Prose helpers: the digest has a word budget, so every free text is counted and cut the same way. */

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

/** The first `max` words of one line of text, with "…" when cut; newlines become spaces. */
export function clipWords(text: string, max: number): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  return words.length <= max ? words.join(' ') : `${words.slice(0, max).join(' ')}…`;
}

export function pluralise(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
