/**
 * fast-check arbitraries for the API fuzzer: values that follow a JSON Schema from the published
 * OpenAPI document (the subset zod emits: type, enum, const, pattern, min/max, items, properties,
 * required, anyOf/oneOf, $ref), and hostile values that break it (wrong types, huge and odd
 * strings, impossible dates, path traversal, control characters).
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  default?: unknown;
}

/** Strings that have broken parsers before: impossible and extreme dates and weeks, traversal, encodings, control characters. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '2027-02-30',
  '2027-13-01',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '275760-09-13',
  '2027-01-05T25:00',
  '2027-W54',
  '2027-W00',
  '0000-W01',
  '9999-W99',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  '\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  '<@U123> <!channel>',
  "' OR 1=1 --",
  '😀'.repeat(50),
  '\u202e\u200b',
  'ａｂｃ',
  'x'.repeat(5000),
  '*',
  '%',
  '%%',
  '\\',
  '/',
  '.',
  '..',
];

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 40 }));

/** Any JSON value, often of the wrong type. */
export const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    hostileString(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostileString(), { maxLength: 5 }),
    fc.dictionary(hostileString(), hostileString(), { maxKeys: 5 }),
  );

function regexArbitrary(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return fc.string();
  }
}

/** Values valid for `schema` (refs resolved against `components`). */
export function validValue(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return validValue(components[schema.$ref.split('/').pop()!] ?? {}, components, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) return fc.oneof(...alts.map((s) => validValue(s, components, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) return regexArbitrary(schema.pattern);
      if (schema.format === 'date')
        return fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 200) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(validValue(schema.items ?? {}, components, depth + 1), { maxLength: 5 });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s, components, depth + 1)])), {
        requiredKeys: Object.keys(props).filter((k) => required.has(k)),
      });
    }
    default:
      return hostileJson();
  }
}

/** Mostly valid values, sometimes hostile ones, so both the happy path and the edges are hit. */
export function mixedValue(schema: JsonSchema, components: Record<string, JsonSchema>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: validValue(schema, components), weight: 3 }, { arbitrary: hostileJson(), weight: 1 });
}
