import { closest, knownList } from '../domain/plan/suggest.ts';
import type { CommSpec, Plan } from '../domain/plan/model.ts';
import { anchorMilestone } from './context.ts';
import { CONTEXT_FIELDS, CONTEXT_ROOTS } from './context-schema.ts';
import { HELPER_NAMES } from './helpers.ts';

/** The loose shape of Handlebars AST nodes this walker reads. */
interface Node {
  type: string;
  loc?: { start: { line: number } };
  body?: Node[];
  path?: Node;
  params?: Node[];
  hash?: { pairs: { value: Node }[] };
  program?: Node;
  inverse?: Node;
  data?: boolean;
  depth?: number;
  parts?: string[];
  original?: string;
}

export interface VariableIssue {
  line: number;
  message: string;
}

/** What the comm will put in the context, to judge each path a template names. */
export interface VariableRules {
  comm: CommSpec;
  plan: Plan;
  /** Fields each series item file has (for `item.x` beyond key/title/body). */
  items: Map<string, Set<string>>;
}

const GUARD_HELPERS = new Set(['if', 'unless', 'with', 'and', 'or', 'not']);
const ITEM_FIXED = new Set(['key', 'title', 'body']);

/**
 * Walks a template's AST and reports every variable the context will lack for this comm, and
 * every unknown helper. A path inside `{{#if x}}` (or `#with x`) is allowed to be missing when
 * `x` is it or its parent: the template says it copes.
 */
export function findVariableIssues(ast: Node, rules: VariableRules): VariableIssue[] {
  const issues: VariableIssue[] = [];
  // Absolute path of `this` per context level (only #with/#each change it, as in Handlebars 4);
  // null inside #each, where the element's shape is unknown.
  const contexts: (string[] | null)[] = [[]];
  let guards: string[][] = [];
  const lineOf = (n: Node): number => n.loc?.start.line ?? 0;

  const resolve = (p: Node): string[] | undefined => {
    const parts = p.parts ?? [];
    if (p.data) return parts[0] === 'root' ? parts.slice(1) : undefined;
    const base = contexts[contexts.length - 1 - (p.depth ?? 0)];
    if (!base || parts.length === 0) return undefined;
    return [...base, ...parts];
  };

  const checkPath = (p: Node, asGuard: boolean): void => {
    const abs = resolve(p);
    if (!abs || abs.length === 0) return;
    const message = pathProblem(abs, p.original ?? abs.join('.'), asGuard || isGuarded(abs, guards), rules);
    if (message) issues.push({ line: lineOf(p), message });
  };

  const checkHelper = (p: Node): void => {
    const name = p.original ?? '';
    if (!HELPER_NAMES.has(name)) {
      const near = closest(name, HELPER_NAMES);
      issues.push({ line: lineOf(p), message: `unknown helper "${name}"${near ? ` (did you mean "${near}"?)` : ''}` });
    }
  };

  const expr = (e: Node, asGuard: boolean): void => {
    if (e.type === 'PathExpression') checkPath(e, asGuard);
    else if (e.type === 'SubExpression') call(e, asGuard);
  };

  const call = (n: Node, asGuard: boolean): void => {
    if (n.path) checkHelper(n.path);
    const guardArgs = asGuard && GUARD_HELPERS.has(n.path?.original ?? '');
    for (const p of n.params ?? []) expr(p, guardArgs);
    for (const pair of n.hash?.pairs ?? []) expr(pair.value, false);
  };

  const guardsOf = (n: Node): string[][] => {
    const out: string[][] = [];
    const collect = (e: Node): void => {
      if (e.type === 'PathExpression') {
        const abs = resolve(e);
        if (abs) out.push(abs);
      } else if (e.type === 'SubExpression' && GUARD_HELPERS.has(e.path?.original ?? '')) (e.params ?? []).forEach(collect);
    };
    (n.params ?? []).forEach(collect);
    return out;
  };

  const walk = (program: Node | undefined): void => {
    for (const st of program?.body ?? []) {
      if (st.type === 'MustacheStatement') {
        const path = st.path as Node;
        const isCall = (st.params?.length ?? 0) > 0 || (st.hash?.pairs.length ?? 0) > 0;
        if (path.type !== 'PathExpression') continue;
        if (isCall || HELPER_NAMES.has(path.original ?? '')) call(st, false);
        else checkPath(path, false);
      } else if (st.type === 'BlockStatement') {
        block(st);
      }
    }
  };

  const block = (st: Node): void => {
    const name = st.path?.original ?? '';
    const guardBlock = name === 'if' || name === 'unless' || name === 'with';
    call(st, guardBlock);
    const outer = guards;
    const own = guardBlock ? guardsOf(st) : [];
    const changesContext = name === 'with' || name === 'each';
    if (changesContext) contexts.push(name === 'with' ? (own[0] ?? null) : null);
    guards = name === 'unless' ? outer : [...outer, ...own];
    walk(st.program);
    if (changesContext) contexts.pop();
    // `else` of #unless runs when the guard is truthy; `else` of #if/#with when it is not.
    guards = name === 'unless' ? [...outer, ...own] : outer;
    walk(st.inverse);
    guards = outer;
  };

  walk(ast);
  return issues;
}

function isGuarded(abs: string[], guards: string[][]): boolean {
  return guards.some((g) => g.length <= abs.length && g.every((part, i) => abs[i] === part));
}

function pathProblem(abs: string[], written: string, guarded: boolean, rules: VariableRules): string | undefined {
  const { comm, plan } = rules;
  const [root, field] = abs;
  if (root === undefined) return undefined;
  if (!(CONTEXT_ROOTS as readonly string[]).includes(root)) {
    const near = closest(root, CONTEXT_ROOTS);
    return `unknown variable "${written}"${near ? ` (did you mean "${near}"?)` : ''}; the context has: ${CONTEXT_ROOTS.join(', ')}`;
  }
  const fields = CONTEXT_FIELDS[root];
  if (fields && field !== undefined && !fields.includes(field)) {
    const near = closest(field, fields);
    return `"${written}": ${root} has no field "${field}"${near ? ` (did you mean "${near}"?)` : ''}; it has: ${fields.join(', ')}`;
  }
  if (guarded) return undefined;
  switch (root) {
    case 'data': {
      const keys = Object.keys(comm.data);
      if (field !== undefined && !keys.includes(field)) {
        const near = closest(field, keys);
        return (
          `"${written}": comm "${comm.key}" has no data.${field}${near ? ` (did you mean "${near}"?)` : ''}` +
          `; add it under the comm's data: (it has: ${knownList(keys)}) or guard it with {{#if data.${field}}}`
        );
      }
      return undefined;
    }
    case 'item': {
      if (!comm.series) return `"${written}": comm "${comm.key}" has no series, so there is no item`;
      if (field === undefined || ITEM_FIXED.has(field)) return undefined;
      const lacking = comm.series.filter((k) => rules.items.has(k) && !rules.items.get(k)?.has(field));
      return lacking.length > 0
        ? `"${written}": series items without "${field}": ${knownList(lacking)}; add it or guard it with {{#if item.${field}}}`
        : undefined;
    }
    case 'survey':
      return comm.survey ? undefined : `"${written}": comm "${comm.key}" has no survey`;
    case 'workstream': {
      if (comm.workstream === undefined)
        return `"${written}": comm "${comm.key}" has no workstream; add workstream: to the comm or guard it with {{#if workstream}}`;
      const ws = plan.workstreams.find((w) => w.key === comm.workstream);
      if (field === 'escalation' && ws && ws.escalation === undefined) {
        return `"${written}": workstream "${ws.key}" has no escalation contact; guard it with {{#if workstream.escalation}}`;
      }
      return undefined;
    }
    case 'milestone':
      return anchorMilestone(comm) === undefined
        ? `"${written}": comm "${comm.key}" is not tied to a milestone (recurring or manual); use milestones.<key> or guard it with {{#if milestone}}`
        : undefined;
    case 'milestones': {
      const keys = plan.milestones.map((m) => m.key);
      if (field !== undefined && !keys.includes(field)) {
        const near = closest(field, keys);
        return `"${written}": the plan has no milestone "${field}"${near ? ` (did you mean "${near}"?)` : ''}; it has: ${knownList(keys)}`;
      }
      return undefined;
    }
    case 'links':
      if (field === 'unsubscribe' && !comm.optional)
        return `"${written}": only optional comms have an unsubscribe link; guard it with {{#if links.unsubscribe}}`;
      if (field === 'answer' && !comm.survey) return `"${written}": comm "${comm.key}" has no survey, so no answer link`;
      return undefined;
    default:
      return undefined;
  }
}
