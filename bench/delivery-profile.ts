/**
 * Summarises a V8 .cpuprofile (node --cpu-prof) by self time: where the worker's CPU went,
 * per package or source file and per function.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@scope/pkg/...` → `@scope/pkg`; our files → their repository path; V8 internals by name. */
function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/(src|jobs|bench)\/(.*)$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

export function summariseProfiles(dir: string, top = 12): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byModule = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, ProfileNode>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
    // Native work (socket writes, Intl, JSON) charged to the nearest JavaScript frame above it.
    const owner = (n: ProfileNode): string => {
      for (let x: ProfileNode | undefined = n; x; x = parent.get(x.id)) {
        if (x.callFrame.url && !x.callFrame.url.startsWith('node:')) return moduleOf(x.callFrame.url, x.callFrame.functionName);
      }
      return moduleOf(n.callFrame.url, n.callFrame.functionName);
    };
    p.samples.forEach((id, i) => {
      const n = nodes.get(id);
      const dt = (p.timeDeltas[i] ?? 0) / 1000;
      if (!n || n.callFrame.functionName === '(idle)') return;
      total += dt;
      const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
      byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
      const own = owner(n);
      byCaller.set(own, (byCaller.get(own) ?? 0) + dt);
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${mod}:${n.callFrame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    });
  }
  const rows = (m: Map<string, number>): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `    ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${(ms / 1000).toFixed(2).padStart(6)} s  ${k}`);
  return [
    `  worker CPU profile: ${(total / 1000).toFixed(2)} s busy (self time, idle excluded)`,
    '  by package / file:',
    ...rows(byModule),
    '  by package / file, native and node: time charged to the calling package:',
    ...rows(byCaller),
    '  by function:',
    ...rows(byFunction),
  ];
}
