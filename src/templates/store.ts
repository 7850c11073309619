import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { HeraldError } from '../domain/errors.ts';
import type { SeriesItem } from './context-schema.ts';
import { confinedFile } from '../fs/confined-path.ts';
import { KEY_RE as SAFE_NAME } from '../domain/plan/read-values.ts';

/** The first line of a parser's message, without the quoted source that follows it. */
export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}

// yaml loads with the first series item read (synchronously, as the store is): a worker that
// renders no series item never loads it (~4 MiB of idle RSS, bench:cli).
const requireHere = createRequire(import.meta.url);
let yaml: typeof import('yaml') | undefined;
const parseYaml = (text: string): unknown => (yaml ??= requireHere('yaml') as typeof import('yaml')).parse(text);

/** The parts a comm template folder can hold; `text` is the optional hand-written email text part. */
export type TemplatePart = 'subject' | 'slack' | 'email' | 'text';

/**
 * Reads the templates folder: `<dir>/<name>/<audience>.<part>.hbs` with `default.<part>.hbs` as the
 * fallback (and `subject.hbs` for subjects), `<dir>/<name>/items/<key>.yaml|.yml|.md` for series
 * items, `<dir>/_layout/` for shared layouts. Listings and files are read once and cached.
 */
export class TemplateStore {
  readonly dir: string;
  private names: string[] | undefined;
  private readonly files = new Map<string, Set<string>>();
  private readonly sources = new Map<string, string>();
  private readonly items = new Map<string, SeriesItem | null>();

  constructor(dir: string) {
    this.dir = dir;
  }

  list(): string[] {
    if (!this.names) {
      this.names = existsSync(this.dir)
        ? readdirSync(this.dir, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
            .map((e) => e.name)
            .sort()
        : [];
    }
    return this.names;
  }

  has(name: string): boolean {
    return this.list().includes(name);
  }

  private filesOf(name: string): Set<string> {
    let set = this.files.get(name);
    if (!set) {
      const folder = join(this.dir, name);
      set = new Set(this.has(name) ? readdirSync(folder).filter((f) => statSync(join(folder, f)).isFile()) : []);
      this.files.set(name, set);
    }
    return set;
  }

  /** The file names tried for a part, most specific first. */
  candidates(audience: string, part: TemplatePart): string[] {
    const own = `${audience}.${part}.hbs`;
    return part === 'subject' ? [own, 'subject.hbs', 'default.subject.hbs'] : [own, `default.${part}.hbs`];
  }

  /** The file (relative to the template folder) that serves this audience and part, if any. */
  resolve(name: string, audience: string, part: TemplatePart): string | undefined {
    const files = this.filesOf(name);
    return this.candidates(audience, part).find((f) => files.has(f));
  }

  /** Source of `<dir>/<relative>`, cached. Only files really inside the folder are read (no symlink out). */
  source(relative: string): string {
    let src = this.sources.get(relative);
    if (src === undefined) {
      const found = confinedFile(this.dir, relative);
      if (!found.ok) throw new HeraldError('TEMPLATE_MISSING', `${this.display(relative)} cannot be read: ${found.reason}`);
      src = readFileSync(found.path, 'utf8');
      this.sources.set(relative, src);
    }
    return src;
  }

  /** A path for messages: `templates/ops-impact-notice/default.email.hbs`. */
  display(relative: string): string {
    return join(basename(this.dir), relative);
  }

  /** A stepped-series item, or undefined when its file does not exist. */
  item(name: string, key: string): SeriesItem | undefined {
    const id = `${name}/${key}`;
    if (!this.items.has(id)) this.items.set(id, this.loadItem(name, key));
    return this.items.get(id) ?? undefined;
  }

  private loadItem(name: string, key: string): SeriesItem | null {
    // Keys come from plans (and from plans stored before keys were checked): the plan's key rule
    // again, then a confined read, so `../…` or a symlink never reads outside the templates folder.
    if (!SAFE_NAME.test(name) || !SAFE_NAME.test(key)) return null;
    for (const ext of ['yaml', 'yml', 'md']) {
      const found = confinedFile(this.dir, `${name}/items/${key}.${ext}`);
      if (!found.ok) {
        if (found.missing) continue;
        throw new HeraldError('TEMPLATE_ITEM_INVALID', `${this.display(`${name}/items/${key}.${ext}`)} cannot be read: ${found.reason}`);
      }
      const text = readFileSync(found.path, 'utf8');
      let fields: unknown;
      let body: string | undefined;
      try {
        if (ext === 'md') {
          const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
          fields = m ? parseYaml(m[1] ?? '') : {};
          body = (m ? m[2] : text)?.trim();
        } else {
          fields = parseYaml(text);
        }
      } catch (e) {
        // Only the first line of the YAML message (it says what and where); the excerpt below it would
        // quote the file, and this message can reach an API caller.
        throw new HeraldError('TEMPLATE_ITEM_INVALID', `${this.display(`${name}/items/${key}.${ext}`)}: ${firstLine((e as Error).message)}`, { cause: e });
      }
      const obj = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<string, unknown>;
      const title = typeof obj.title === 'string' ? obj.title : key;
      const itemBody = body ?? (typeof obj.body === 'string' ? obj.body.trim() : '');
      return { ...obj, key, title, body: itemBody };
    }
    return null;
  }
}
