import type Handlebars from 'handlebars';
import { DateTime } from 'luxon';

/**
 * How output is escaped: `html` for email bodies, `slack` for mrkdwn (only `&`, `<`, `>` matter
 * there, and they are what a mention or link needs), `plain` for subjects and text parts.
 */
export type EscapeMode = 'html' | 'slack' | 'plain';

type HB = typeof Handlebars;
type Options = Handlebars.HelperOptions;

/** The helper every output expression is routed through (see compile.ts). */
export const ESCAPE_HELPER = '__esc';

/** Helpers a template may call: ours plus Handlebars' own. */
export const HELPER_NAMES: ReadonlySet<string> = new Set([
  'formatDate',
  'formatTime',
  'formatDateTime',
  'relative',
  'list',
  'plural',
  'eq',
  'ne',
  'gt',
  'lt',
  'and',
  'or',
  'not',
  'add',
  'sub',
  'ifEquals',
  'paragraphs',
  'link',
  'upcoming',
  'toneColor',
  'textBar',
  'greeting',
  'if',
  'unless',
  'each',
  'with',
  'lookup',
  'log',
]);

const TONE_COLORS: Record<string, string> = { good: '#1a7f37', warn: '#d4a72c', bad: '#cf222e', none: '#8c959f' };

export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Safe {
  toHTML(): string;
}
function isSafe(value: unknown): value is Safe {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Safe>).toHTML === 'function';
}

function escapeFor(hb: HB, mode: EscapeMode, value: unknown): string {
  if (isSafe(value)) return value.toHTML();
  if (value === null || value === undefined) return '';
  if (mode === 'html') return hb.Utils.escapeExpression(String(value));
  if (mode === 'slack') return escapeSlack(String(value));
  return String(value);
}

interface Root {
  person?: { timezone?: string; locale?: string };
  project?: { timezone?: string };
  now?: string;
}

function root(options: Options): Root {
  const data = options.data as { root?: Root } | undefined;
  return data?.root ?? {};
}

/** The instant in the recipient's zone and locale; `zone="project"` (or an IANA name) overrides. */
function when(value: unknown, options: Options): DateTime | undefined {
  const r = root(options);
  const hashZone = (options.hash as { zone?: unknown }).zone;
  const zone = hashZone === 'project' ? r.project?.timezone : typeof hashZone === 'string' ? hashZone : r.person?.timezone;
  const locale = r.person?.locale ?? 'en-US';
  let dt: DateTime;
  if (value instanceof Date) dt = DateTime.fromJSDate(value);
  else if (typeof value === 'string' && value !== '') dt = DateTime.fromISO(value, { setZone: true });
  else return undefined;
  if (!dt.isValid) return undefined;
  return dt.setZone(zone ?? 'utc').setLocale(locale);
}

/*
 * A worker renders the same milestone date for thousands of people who share a zone and a
 * locale; luxon's zone conversion costs far more than a lookup, so formatted dates are memoised.
 */
const formatted = new Map<string, string>();
function memo(key: string, make: () => string): string {
  const hit = formatted.get(key);
  if (hit !== undefined) return hit;
  if (formatted.size >= 20_000) formatted.clear();
  const value = make();
  formatted.set(key, value);
  return value;
}

/** The cache key of a formatted instant: the value, the zone and locale it renders in, the format. */
function formatKey(kind: string, value: unknown, options: Options, format = ''): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const r = root(options);
  const hashZone = (options.hash as { zone?: unknown }).zone;
  const v = value instanceof Date ? value.toISOString() : value;
  return `${kind}|${v}|${String(hashZone ?? '')}|${r.person?.timezone ?? ''}|${r.project?.timezone ?? ''}|${r.person?.locale ?? ''}|${format}`;
}

function cached(kind: string, value: unknown, options: Options, format: string, make: () => string): string {
  const key = formatKey(kind, value, options, format);
  return key === undefined ? make() : memo(key, make);
}

/** Handlebars passes its options object last; this drops it from a rest list. */
function args(all: unknown[]): { values: unknown[]; options: Options } {
  return { values: all.slice(0, -1), options: all[all.length - 1] as Options };
}

export function registerHelpers(hb: HB, mode: EscapeMode): void {
  const safe = (s: string): Handlebars.SafeString => new hb.SafeString(s);
  const esc = (v: unknown): string => escapeFor(hb, mode, v);

  hb.registerHelper(ESCAPE_HELPER, (value: unknown) => safe(esc(value)));

  hb.registerHelper('formatDate', (...all: unknown[]) => {
    const { values, options } = args(all);
    const format = typeof values[1] === 'string' ? values[1] : 'DDD';
    return cached('date', values[0], options, format, () => when(values[0], options)?.toFormat(format) ?? '');
  });
  hb.registerHelper('formatTime', (value: unknown, options: Options) =>
    cached('time', value, options, '', () => when(value, options)?.toLocaleString({ hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }) ?? ''),
  );
  hb.registerHelper('formatDateTime', (value: unknown, options: Options) =>
    cached(
      'datetime',
      value,
      options,
      '',
      () =>
        when(value, options)?.toLocaleString({
          weekday: 'long',
          month: 'long',
          day: 'numeric',
          year: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZoneName: 'short',
        }) ?? '',
    ),
  );
  // By the hour the message reaches its reader (their zone): no "Good morning" at 8:48 PM.
  hb.registerHelper('greeting', (value: unknown, options: Options) => {
    const hour = when(value, options)?.hour;
    return hour === undefined ? 'Hello' : hour >= 4 && hour < 12 ? 'Good morning' : hour >= 12 && hour < 18 ? 'Good afternoon' : 'Good evening';
  });
  // Counted in calendar days in the recipient's zone, so "tomorrow" means their tomorrow.
  // Memoised per minute of `now`: within a minute the wording ("in 3 days", "tomorrow") is the same.
  hb.registerHelper('relative', (value: unknown, options: Options) =>
    cached('relative', value, options, String(root(options).now ?? '').slice(0, 16), () => {
      const dt = when(value, options);
      const now = when(root(options).now, options);
      if (!dt || !now) return '';
      const hours = Math.abs(dt.diff(now, 'hours').hours);
      if (hours < 20) return dt.toRelative({ base: now, unit: hours < 1 ? 'minutes' : 'hours' }) ?? '';
      const days = Math.abs(dt.startOf('day').diff(now.startOf('day'), 'days').days);
      if (days <= 13) return dt.toRelativeCalendar({ base: now, unit: 'days' }) ?? '';
      return dt.toRelative({ base: now, unit: days < 60 ? 'weeks' : 'months' }) ?? '';
    }),
  );
  // Locale-aware ("a, b and c" in en-GB, "a, b, and c" in en-US); `list items "name"` picks a field.
  hb.registerHelper('list', (...all: unknown[]) => {
    const { values, options } = args(all);
    const items = Array.isArray(values[0]) ? (values[0] as unknown[]) : [];
    const field = typeof values[1] === 'string' ? values[1] : undefined;
    const words = items
      .map((i) => (field !== undefined && typeof i === 'object' && i !== null ? (i as Record<string, unknown>)[field] : i))
      .filter((w) => w !== undefined && w !== null && w !== '')
      .map(String);
    const locale = root(options).person?.locale ?? 'en-US';
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(words);
  });
  // The word only: `{{n}} {{plural n "tip" "tips"}}`; without a plural form, "s" is added.
  hb.registerHelper('plural', (...all: unknown[]) => {
    const { values, options } = args(all);
    const n = Number(values[0]);
    const one = String(values[1] ?? '');
    const many = typeof values[2] === 'string' ? values[2] : `${one}s`;
    const rule = new Intl.PluralRules(root(options).person?.locale ?? 'en-US').select(n);
    return rule === 'one' ? one : many;
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  hb.registerHelper('and', (...all: unknown[]) => args(all).values.every(Boolean));
  hb.registerHelper('or', (...all: unknown[]) => args(all).values.some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  hb.registerHelper('sub', (a: unknown, b: unknown) => Number(a) - Number(b));
  // Digest colours (good / warn / bad / none), for `bgcolor` cells that Outlook renders as bars.
  hb.registerHelper('toneColor', (tone: unknown) => TONE_COLORS[String(tone)] ?? TONE_COLORS.none);
  // A bar of `width` characters, `pct` percent filled: Slack has no cells to colour.
  hb.registerHelper('textBar', (...all: unknown[]) => {
    const { values } = args(all);
    const width = typeof values[1] === 'number' ? values[1] : 10;
    const filled = Math.max(0, Math.min(width, Math.round((Number(values[0]) * width) / 100)));
    return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  });
  hb.registerHelper('ifEquals', function (this: unknown, a: unknown, b: unknown, options: Options) {
    return a === b ? options.fn(this) : options.inverse(this);
  });
  // Blank lines separate paragraphs; each paragraph is escaped before markup is added.
  hb.registerHelper('paragraphs', (text: unknown) => {
    const paras = String(text ?? '')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
    if (mode === 'html') return safe(paras.map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('\n'));
    return safe(paras.map(esc).join('\n\n'));
  });
  // `{{#each (upcoming milestones 3)}}`: the next milestones after `now`, soonest first.
  hb.registerHelper('upcoming', (...all: unknown[]) => {
    const { values, options } = args(all);
    const now = root(options).now ?? '';
    const limit = typeof values[1] === 'number' ? values[1] : Infinity;
    const list = Object.values((values[0] ?? {}) as Record<string, { at?: unknown }>);
    return list
      .filter((m) => typeof m.at === 'string' && m.at > now)
      .sort((a, b) => String(a.at).localeCompare(String(b.at)))
      .slice(0, limit);
  });
  hb.registerHelper('link', (url: unknown, label: unknown) => {
    const href = String(url ?? '');
    const text = typeof label === 'string' ? label : href;
    if (mode === 'html') return safe(`<a href="${esc(href)}">${esc(text)}</a>`);
    if (mode === 'slack') return safe(`<${esc(href).replace(/\|/g, '%7C')}|${esc(text)}>`);
    return text === href ? href : `${text} (${href})`;
  });
}
