import { describe, expect, it } from 'vitest';
import { decodeCommSpec, decodePlan } from '../../../src/db/repo/json-columns.ts';

const comm = {
  key: 'pulse',
  kind: 'survey',
  audiences: ['all'],
  channels: ['slack'],
  template: 'pulse',
  data: { z: 1, a: 2 },
  optional: false,
  survey: { question: 'How?', options: [{ value: 'ok', label: 'OK' }] },
};
const plan = {
  project: { key: 'p', name: 'P', timezone: 'Europe/Berlin', extra: true },
  milestones: [{ key: 'go-live', at: '2030-01-01' }],
  workstreams: [],
  audiences: [{ key: 'all' }],
  people: [{ id: 'ana', name: 'Ana', timezone: 'Europe/Berlin' }],
  comms: [comm],
};

describe('JSON columns', () => {
  it('give back the stored value itself, from jsonb or from text', () => {
    expect(decodePlan(plan)).toBe(plan);
    expect(decodePlan(JSON.stringify(plan))).toEqual(plan);
    expect(Object.keys(decodeCommSpec(JSON.stringify(comm)).data)).toEqual(['z', 'a']);
  });

  it('refuse a column that lacks what the code relies on, naming where', () => {
    expect(() => decodePlan({ ...plan, comms: [{ ...comm, channels: ['fax'] }] })).toThrow(/channels/);
    expect(() => decodePlan({ ...plan, people: [{ name: 'no id' }] })).toThrow(/id/);
    expect(() => decodeCommSpec({ key: 'x' })).toThrow(/kind/);
  });
});
