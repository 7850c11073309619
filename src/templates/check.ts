import type { Channel, CommSpec, Plan } from '../domain/plan/model.ts';
import { hint } from '../domain/plan/suggest.ts';
import type { TemplateCompiler } from './compile.ts';
import type { MessageContext } from './context-schema.ts';
import { sampleContext } from './context.ts';
import { firstLine, type TemplateStore, type TemplatePart } from './store.ts';
import { findVariableIssues } from './variables.ts';

/** The channels a comm renders for: `preferred` is either. */
export function channelsOf(comm: Pick<CommSpec, 'channels'>): Channel[] {
  const set = new Set<Channel>();
  for (const c of comm.channels) {
    if (c === 'preferred') {
      set.add('slack');
      set.add('email');
    } else set.add(c);
  }
  return [...set];
}

export interface CheckDeps {
  store: TemplateStore;
  compiler: TemplateCompiler;
  /** Renders as a real send would, skipping only what cannot fail on a template; throws what the template throws. */
  trialRender(template: string, channel: Channel, audience: string, context: MessageContext): void;
}

/**
 * Human-readable problems with a comm's templates for `herald validate`, empty when they are sound:
 * missing files and series items, parse errors, variables the context will lack and unknown helpers
 * (file:line), then, when those pass, a trial render per audience and channel.
 */
export function checkComm(comm: CommSpec, plan: Plan, { store, compiler, trialRender }: CheckDeps): string[] {
  const template = comm.template;
  if (!store.has(template)) return [`template "${template}" not found in ${store.display('')}${hint(template, store.list(), 'templates')}`];
  const problems: string[] = [];
  const files = new Set<string>();
  const parts = new Set<TemplatePart>(['subject', ...channelsOf(comm), ...(channelsOf(comm).includes('email') ? (['text'] as const) : [])]);
  for (const audience of comm.audiences) {
    for (const part of parts) {
      const file = store.resolve(template, audience, part);
      if (file !== undefined) files.add(file);
      else if (part !== 'text') {
        const tried = store.candidates(audience, part).map((f) => store.display(`${template}/${f}`));
        problems.push(`template "${template}" has no ${part} for audience "${audience}"; add ${tried.join(' or ')}`);
      }
    }
  }
  const items = new Map<string, Set<string>>();
  for (const key of comm.series ?? []) {
    try {
      const item = store.item(template, key);
      if (item) items.set(key, new Set(Object.keys(item)));
      else problems.push(`series item "${key}" has no content: add ${store.display(`${template}/items/${key}.yaml`)} (or .md)`);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  for (const file of [...files].sort()) {
    const relative = `${template}/${file}`;
    let ast: ReturnType<typeof compiler.parse>;
    try {
      ast = compiler.parse(store.source(relative));
    } catch (e) {
      problems.push(`${store.display(relative)}: ${firstLine((e as Error).message)}`);
      continue;
    }
    // One message per problem and file, listing every line it occurs on.
    const lines = new Map<string, number[]>();
    for (const issue of findVariableIssues(ast, { comm, plan, items })) {
      const at = lines.get(issue.message);
      if (at) {
        if (!at.includes(issue.line)) at.push(issue.line);
      } else lines.set(issue.message, [issue.line]);
    }
    for (const [message, at] of lines) problems.push(`${store.display(relative)}:${at.join(',')}: ${message}`);
  }
  if (problems.length > 0) return problems;
  // A trial render catches what static checks cannot (a helper given a bad argument).
  const firstItem = comm.series?.[0] === undefined ? undefined : store.item(template, comm.series[0]);
  for (const audience of comm.audiences) {
    let context: MessageContext | undefined;
    for (const channel of channelsOf(comm)) {
      try {
        // One sample per audience: a render does not change it (the engine copies it to make links absolute).
        context ??= sampleContext(plan, comm, { audience, item: firstItem });
        trialRender(template, channel, audience, context);
      } catch (e) {
        problems.push(`rendering "${template}" for ${audience} on ${channel} failed: ${firstLine((e as Error).message)}`);
      }
    }
  }
  return problems;
}
