/** Edit distance counting a swap of neighbours as one edit ("lable" → "label"), so typos rank close. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest known word when it is close enough to be a likely typo. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  // One edit turns any two-letter code into many others, so short words only match ignoring case.
  const max = w.length <= 2 ? 0 : Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestD = max + 1;
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase(), max);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** `kickoff, pilot, cutover…` — a short list for messages; long lists are cut. */
export function knownList(known: Iterable<string>, limit = 8): string {
  const all = [...known];
  if (all.length === 0) return 'none defined';
  return all.length > limit ? `${all.slice(0, limit).join(', ')}…` : all.join(', ');
}

/** ` (did you mean "x"?)`, or the known list when nothing is close. */
export function hint(word: string, known: Iterable<string>, noun = 'known', limit = 8): string {
  const list = [...known];
  const near = closest(word, list);
  return near !== undefined ? ` (did you mean "${near}"? ${noun}: ${knownList(list, limit)})` : ` (${noun}: ${knownList(list, limit)})`;
}
