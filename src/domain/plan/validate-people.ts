import { isSeq } from 'yaml';
import type { PersonSpec } from './model.ts';
import { parseCsv } from './people-csv.ts';
import { unsafePathReason } from './path-names.ts';
import { controlCharIn, controlCharMessage } from './control-chars.ts';
import { PERSON_FIELDS, PERSON_LIST_FIELDS, checkPerson, type PersonDefaults, type PersonField, type RawPerson } from './person-fields.ts';
import { isNothing, readMap, readString, readStringOrList, type Reader } from './read-values.ts';
import { hint } from './suggest.ts';
import type { Loc } from './yaml-locate.ts';
import { keysOf, PeopleShape } from './plan-shape.ts';

/** The file's text, or why it cannot be read (undefined: it does not exist). */
export type ReadFile = (relativePath: string) => { file: string; text: string } | { problem: string } | undefined;

interface Seen {
  file: string;
  line: number;
}

/** `people:` = { inline: [...], csv: file } (or a bare list, read as inline). */
export function readPeople(r: Reader, loc: Loc | undefined, defaults: PersonDefaults, readFile: ReadFile): { people: PersonSpec[]; declared: Set<string> } {
  const declared = new Set<string>();
  if (loc === undefined || isNothing(loc.node)) return { people: [], declared };
  const seen = new Map<string, Seen>();
  const adder =
    (into: PersonSpec[]): Add =>
    (raw, p, at, report) => {
      if (raw.id !== undefined) declared.add(raw.id);
      if (p === undefined) return;
      const first = seen.get(p.id);
      if (first !== undefined) {
        report(`duplicate person id "${p.id}" (first defined at ${first.file}:${first.line}); ids must be unique across inline people and CSV files`);
        return;
      }
      seen.set(p.id, at);
      into.push(p);
    };

  let inlineLoc: Loc | undefined;
  let csvLoc: Loc | undefined;
  let csvFirst = false;
  if (isSeq(loc.node)) inlineLoc = loc;
  else {
    const f = readMap(r, loc, keysOf(PeopleShape), 'people: { csv: people.csv, inline: [ { id: dana, name: Dana, email: … } ] }');
    inlineLoc = f?.get('inline');
    csvLoc = f?.get('csv');
    csvFirst = f !== undefined && f.keyLine('csv') < f.keyLine('inline');
  }
  // Inline people are registered first so an id clash is reported on the CSV row; the result keeps file order.
  const inline: PersonSpec[] = [];
  const fromCsv: PersonSpec[] = [];
  if (inlineLoc !== undefined) readInline(r, inlineLoc, defaults, adder(inline));
  if (csvLoc !== undefined) readCsvPeople(r, csvLoc, defaults, readFile, adder(fromCsv));
  return { people: csvFirst ? [...fromCsv, ...inline] : [...inline, ...fromCsv], declared };
}

/** Registers a person as written; `p` is undefined when its row was invalid (the id still counts as declared). */
type Add = (raw: RawPerson, p: PersonSpec | undefined, at: Seen, report: (msg: string) => void) => void;

function readInline(r: Reader, loc: Loc, defaults: PersonDefaults, add: Add): void {
  const items = r.src.items(loc);
  if (items === undefined) {
    r.sink.error(loc, 'expected a list of people, e.g. - { id: dana, name: Dana Ruiz, email: dana@example.com }');
    return;
  }
  for (const item of items) {
    const f = readMap(r, item, PERSON_FIELDS, '{ id: dana, name: Dana Ruiz, email: dana@example.com }');
    if (f === undefined) continue;
    const raw: RawPerson = { audiences: [] };
    for (const field of PERSON_FIELDS) {
      const v = f.get(field);
      if (v === undefined) continue;
      if (field === 'audiences') raw.audiences = (readStringOrList(r, v, 'an audience key') ?? []).map((a) => a.value);
      else if (field === 'workDays') raw.workDays = (readStringOrList(r, v, 'a weekday (mon…sun)') ?? []).map((a) => a.value);
      else {
        const s = readString(r, v, `a ${field}`);
        if (s !== undefined) raw[field] = s;
      }
    }
    const at = (field: PersonField | undefined): Loc => (field === undefined ? item : (f.get(field) ?? item));
    const p = checkPerson(raw, defaults, (field, message, severity) =>
      severity === 'warning' ? r.sink.warn(at(field), message) : r.sink.error(at(field), message),
    );
    add(raw, p, { file: item.file, line: item.line }, (msg) => r.sink.error(at('id'), msg));
  }
}

function readCsvPeople(r: Reader, loc: Loc, defaults: PersonDefaults, readFile: ReadFile, add: Add): void {
  const rel = readString(r, loc, 'a CSV file path relative to the plan');
  if (rel === undefined) return;
  const unsafe = unsafePathReason(rel);
  if (unsafe !== undefined) {
    r.sink.error(loc, `people file "${rel}" is not allowed: ${unsafe}; put the CSV in the plan's folder (or below it) and name it relative to the plan`);
    return;
  }
  const source = readFile(rel);
  if (source === undefined || 'problem' in source) {
    r.sink.error(loc, `cannot read people file "${rel}"${source === undefined ? '' : `: ${source.problem}`} (paths are relative to the plan file)`);
    return;
  }
  const file = source.file;
  // Paths name the CSV the plan names (staff.csv, team/ops.csv), never a people.csv it may not have.
  const csv = rel.split(/[\\/]/).pop() ?? rel;
  const { rows, errors } = parseCsv(source.text);
  for (const e of errors) r.sink.error({ file, line: e.line, path: csv }, e.message);
  const header = rows[0];
  if (header === undefined) {
    r.sink.error(loc, `people file "${rel}" is empty: its first line must be the header id,name,email,slack,timezone,audiences,locale`);
    return;
  }
  const columns: (PersonField | undefined)[] = [];
  const seenCols = new Set<string>();
  for (const cell of header.cells) {
    const name = cell.trim();
    const char = controlCharIn(name);
    if (char !== undefined) {
      r.sink.error({ file, line: header.line, path: csv }, `a column name ${controlCharMessage(char)}`);
      columns.push(undefined);
      continue;
    }
    const at = { file, line: header.line, path: `${csv}.${name}` };
    if (!(PERSON_FIELDS as readonly string[]).includes(name)) {
      r.sink.error(at, `unknown column "${name}"${hint(name, PERSON_FIELDS, 'columns', Infinity)}`);
      columns.push(undefined);
    } else if (seenCols.has(name)) {
      r.sink.error(at, `column "${name}" appears twice; keep one`);
      columns.push(undefined);
    } else {
      seenCols.add(name);
      columns.push(name as PersonField);
    }
  }
  for (const required of ['id', 'name'] as const) {
    if (!seenCols.has(required))
      r.sink.error({ file, line: header.line, path: csv }, `missing column "${required}" in the header (columns: ${PERSON_FIELDS.join(',')})`);
  }
  if (!seenCols.has('email') && !seenCols.has('slack')) {
    r.sink.error({ file, line: header.line, path: csv }, 'the header needs an "email" or a "slack" column so people can be reached');
  }

  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    if (row === undefined) continue;
    const raw: RawPerson = { audiences: [] };
    row.cells.forEach((cell, c) => {
      const field = columns[c];
      const v = cell.trim();
      if (field === undefined || v === '') return;
      if ((PERSON_LIST_FIELDS as readonly string[]).includes(field)) {
        raw[field as (typeof PERSON_LIST_FIELDS)[number]] = v
          .split(';')
          .map((a) => a.trim())
          .filter((a) => a !== '');
      } else raw[field as Exclude<PersonField, (typeof PERSON_LIST_FIELDS)[number]>] = v;
    });
    const base = `${csv}[${raw.id !== undefined && controlCharIn(raw.id) === undefined ? raw.id : `row ${i}`}]`;
    const at = (field: PersonField | undefined) => ({ file, line: row.line, path: field === undefined ? base : `${base}.${field}` });
    const bad = row.cells.flatMap((cell, c) => {
      const char = controlCharIn(cell);
      return char === undefined ? [] : [{ column: columns[c] ?? header.cells[c]?.trim() ?? `column ${c + 1}`, char }];
    });
    if (bad.length > 0) {
      for (const b of bad) r.sink.error({ file, line: row.line, path: `${base}.${b.column}` }, controlCharMessage(b.char));
      continue;
    }
    if (row.cells.length !== header.cells.length) {
      r.sink.error(at(undefined), `row has ${row.cells.length} values but the header has ${header.cells.length}; quote values that contain commas`);
      continue;
    }
    const p = checkPerson(raw, defaults, (field, message, severity) =>
      severity === 'warning' ? r.sink.warn(at(field), message) : r.sink.error(at(field), message),
    );
    add(raw, p, { file, line: row.line }, (msg) => r.sink.error(at('id'), msg));
  }
}
