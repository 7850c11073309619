import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { PlanIssue } from '../errors.ts';
import { MAX_FLOW_DEPTH, tooDeepAt } from './nesting.ts';

/** A value inside a source file: where it is, and the dotted path a user reads in an error. */
export interface Loc {
  file: string;
  line: number;
  path: string;
  /** The yaml node (Scalar, YAMLMap, YAMLSeq) or null when the key has no value. */
  node: unknown;
}

export interface MapEntry {
  key: string;
  keyLine: number;
  value: Loc;
}

export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function indexPath(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** The YAML parser's errors a PM meets most, in a PM's words with the fix (the parser's own wording for the rest). */
const YAML_WORDS: Readonly<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY:
    'two "key: value" pairs on one line (a map inside a one-line map): put the inner one on its own indented line, ' + 'or quote the value if it contains ": "',
  TAB_AS_INDENT: 'a tab indents this line: YAML indents with spaces only',
  BAD_INDENT: 'this line is indented differently from the lines around it: align it with the other keys of its map, using spaces',
  MULTILINE_IMPLICIT_KEY: 'a key runs over more than one line: is a ":" missing, or a quote left open on a line above?',
  BLOCK_IN_FLOW: 'a "key: value" block inside [ ] or { }: write the list or map either all on one line or one item per line',
};

/**
 * Parses YAML keeping the node tree, so every value can be reported at its own line.
 * Syntax errors come back as issues; a document with syntax errors has no usable root.
 */
export class YamlSource {
  readonly errors: PlanIssue[] = [];
  readonly warnings: PlanIssue[] = [];
  private readonly doc: Document;
  private readonly lc = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    const deep = tooDeepAt(text);
    if (deep !== undefined) {
      this.doc = parseDocument('');
      this.errors.push({
        file,
        line: deep,
        path: '',
        message: `YAML: lists and maps are nested more than ${MAX_FLOW_DEPTH} levels deep here; no plan needs that many: flatten it`,
      });
      return;
    }
    // uniqueKeys off: duplicate keys are reported by the validators, with both lines, alongside other issues.
    this.doc = parseDocument(text, { lineCounter: this.lc, uniqueKeys: false, prettyErrors: true });
    for (const e of this.doc.errors) this.errors.push(this.yamlIssue(e));
    for (const w of this.doc.warnings) this.warnings.push(this.yamlIssue(w));
  }

  root(): Loc {
    return { file: this.file, line: this.lineOf(this.doc.contents, 1), path: '', node: this.resolve(this.doc.contents) };
  }

  lineAt(offset: number): number {
    return this.lc.linePos(offset).line;
  }

  lineOf(node: unknown, fallback: number): number {
    const range = (node as { range?: unknown } | null)?.range;
    return Array.isArray(range) && typeof range[0] === 'number' ? this.lineAt(range[0]) : fallback;
  }

  /** Map entries in file order, or undefined when the value is not a map. */
  entries(loc: Loc): MapEntry[] | undefined {
    if (!isMap(loc.node)) return undefined;
    const out: MapEntry[] = [];
    for (const pair of loc.node.items) {
      const keyNode = this.resolve(pair.key);
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const keyLine = this.lineOf(pair.key, loc.line);
      const value = this.resolve(pair.value);
      out.push({ key, keyLine, value: { file: this.file, line: this.lineOf(pair.value, keyLine), path: childPath(loc.path, key), node: value } });
    }
    return out;
  }

  /** Sequence items, or undefined when the value is not a list. */
  items(loc: Loc): Loc[] | undefined {
    if (!isSeq(loc.node)) return undefined;
    return loc.node.items.map((item, i) => ({
      file: this.file,
      line: this.lineOf(item, loc.line),
      path: indexPath(loc.path, i),
      node: this.resolve(item),
    }));
  }

  /**
   * Plain JS value of a node (for free-form `data`), as a tree (JSON round trip: no shared or
   * circular references). Aliases are bounded by yaml's maxAliasCount and the result by `maxChars`
   * of JSON, so an alias bomb is an error, not a hang.
   * @returns the value, or why it cannot be used
   */
  toJS(loc: Loc, maxChars = 256 * 1024): { ok: true; value: unknown } | { ok: false; reason: string } {
    const n = loc.node as { toJS?: (doc: Document, opts: { maxAliasCount: number }) => unknown } | null;
    try {
      const value = n !== null && typeof n === 'object' && typeof n.toJS === 'function' ? n.toJS(this.doc, { maxAliasCount: 100 }) : n;
      const json = JSON.stringify(value) as string | undefined;
      if (json !== undefined && json.length > maxChars)
        return { ok: false, reason: `it expands to more than ${Math.round(maxChars / 1024)} KiB (aliases repeat what they point at)` };
      return { ok: true, value: json === undefined ? undefined : JSON.parse(json) };
    } catch (e) {
      if (e instanceof ReferenceError) return { ok: false, reason: 'it uses too many aliases (*name) for its size' };
      if (e instanceof TypeError) return { ok: false, reason: 'an alias (*name) refers to the value that contains it' };
      if (e instanceof RangeError) return { ok: false, reason: 'it is nested too deeply' };
      throw e;
    }
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? (node.resolve(this.doc) ?? null) : (node ?? null);
  }

  private yamlIssue(e: { code?: string; message: string; linePos?: [{ line: number }] | [{ line: number }, { line: number }] }): PlanIssue {
    const firstLine = e.message.split('\n')[0] ?? e.message;
    const message = (e.code && YAML_WORDS[e.code]) ?? firstLine.replace(/ at line \d+, column \d+:?$/, '');
    return { file: this.file, line: e.linePos?.[0].line ?? 1, path: '', message: `YAML: ${message}` };
  }
}
