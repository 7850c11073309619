import { describe, expect, it } from 'vitest';
import { commsYaml, errorsOf, planYaml, run, validPlan } from './plan-helpers.ts';

const SCHED = 'schedule: { at: cutover, offset: "-1 day" }';
const comm = (...lines: string[]): string => planYaml({ comms: commsYaml(...lines) });
/** A comm written out in full, for tests that change its required keys. */
const rawComm = (body: string): string => planYaml({ comms: `comms:\n  - ${body}` });

describe('comms', () => {
  it('reads a minimal comm with its defaults', () => {
    expect(validPlan(comm(SCHED)).comms[0]).toEqual({
      key: 'c1',
      kind: 'announcement',
      audiences: ['ops'],
      channels: ['email'],
      template: 't',
      data: {},
      optional: false,
      schedule: { type: 'anchored', at: 'cutover', offset: { sign: -1, amount: 1, unit: 'days', raw: '-1 day' } },
    });
  });

  it('requires key, kind, audience, channels and template', () => {
    expect(errorsOf(rawComm(SCHED))).toEqual([
      'comms[0]: missing required key "key" (for example key: cutover-user-prep)',
      'comms[0]: missing required key "kind" (for example kind: announcement)',
      'comms[0]: missing required key "audience" (for example audience: end-users)',
      'comms[0]: missing required key "channels" (for example channels: [preferred] (Slack where the person has it, else email))',
      'comms[0]: missing required key "template" (for example template: user-prep)',
    ]);
    expect(errorsOf(rawComm(`{ key: a, kind: "", audience: ops, channels: email, template: "", ${SCHED.replace('schedule: ', 'schedule: ')} }`))).toEqual([
      'comms[0].kind: must not be empty: expected a kind such as announcement, ops-impact or digest',
      'comms[0].template: must not be empty: expected a template name',
    ]);
  });

  it('reports unknown keys with a suggestion', () => {
    expect(errorsOf(comm(SCHED, 'audiences: [ops]'))).toEqual([
      'comms[0].audiences: unknown key "audiences" (did you mean "audience"? allowed: key, kind, audience, channels, template, workstream, data, survey, optional, series, schedule, trigger, urgent, recipientCalendar, title, approval)',
    ]);
  });

  it('rejects duplicate comm keys at the second one', () => {
    const text = planYaml({ comms: `${commsYaml(SCHED)}\n${commsYaml(SCHED).replace('comms:\n', '')}` });
    const o = run(text);
    expect(o.errors.map((i) => `${i.line}: ${i.path}: ${i.message}`)).toEqual([
      `22: comms[1].key: duplicate comm key "c1" (first at line 16); comm keys must be unique`,
    ]);
  });

  it('accepts one or many audiences, all known', () => {
    expect(validPlan(planYaml({ comms: commsYaml(SCHED).replace('audience: ops', 'audience: [ops, users]') })).comms[0]?.audiences).toEqual(['ops', 'users']);
    expect(errorsOf(planYaml({ comms: commsYaml(SCHED).replace('audience: ops', 'audience: [ops, usres]') }))).toEqual([
      'comms[0].audience[1]: unknown audience "usres" (did you mean "users"? known: ops, users)',
    ]);
  });

  it('warns when an audience has no people', () => {
    const o = run(
      planYaml({ audiences: 'audiences:\n  ops: {}\n  users: {}\n  empty: {}', comms: commsYaml(SCHED).replace('audience: ops', 'audience: empty') }),
    );
    expect(o.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(['comms[0].audience: audience "empty" has no people: this comm reaches nobody there']);
  });

  it('accepts slack, email, preferred as a string or list', () => {
    const withChannels = (c: string): string => planYaml({ comms: commsYaml(SCHED).replace('channels: [email]', `channels: ${c}`) });
    expect(validPlan(withChannels('preferred')).comms[0]?.channels).toEqual(['preferred']);
    expect(validPlan(withChannels('[slack, email]')).comms[0]?.channels).toEqual(['slack', 'email']);
    expect(errorsOf(withChannels('[slak]'))).toEqual(['comms[0].channels[0]: unknown channel "slak" (did you mean "slack"? use: slack, email, preferred)']);
    expect(errorsOf(withChannels('[]'))).toEqual(['comms[0].channels: the list is empty: give at least one a channel (slack, email or preferred)']);
    expect(run(withChannels('[preferred, email]')).warnings.map((w) => w.message)).toEqual([
      '"preferred" already picks Slack or email per person; together with slack/email some people get the message twice',
    ]);
  });

  it('checks the workstream, data, optional', () => {
    expect(validPlan(comm(SCHED, 'workstream: ws', 'data: { window: "Fri 18:00", n: 3, list: [a, b] }', 'optional: true')).comms[0]).toMatchObject({
      workstream: 'ws',
      data: { window: 'Fri 18:00', n: 3, list: ['a', 'b'] },
      optional: true,
    });
    expect(errorsOf(comm(SCHED, 'workstream: wz', 'data: [1, 2]', 'optional: yes'))).toEqual([
      'comms[0].workstream: unknown workstream "wz" (known: ws)',
      'comms[0].data: expected a map of values for the template, e.g. data: { window: "Friday 18:00" }',
      'comms[0].optional: expected true or false, found text "yes"',
    ]);
  });

  it('needs exactly one of schedule and trigger', () => {
    expect(errorsOf(comm())).toEqual([
      'comms[0]: missing "schedule" or "trigger": say when this comm is sent, e.g. schedule: { at: cutover, offset: "-3 business days" } or trigger: manual',
    ]);
    expect(errorsOf(comm(SCHED, 'trigger: manual'))).toEqual([
      'comms[0].trigger: a comm has either a schedule or a trigger, not both: split it into two comms',
    ]);
  });

  it('series belongs to a stepped schedule only, with unique items', () => {
    expect(errorsOf(comm(SCHED, 'series: [a, b]'))).toEqual(['comms[0].series: series needs a stepped schedule { at, offset, every }: one message per item']);
    expect(errorsOf(comm('schedule: { at: cutover, offset: "+1 day", every: day }', 'series: [a, a]'))).toEqual([
      'comms[0].series[1]: "a" is already in the series (line 22); each item is sent once',
    ]);
  });

  it('reports template problems from checkTemplate at the template line, only for otherwise valid comms', () => {
    const o = run(comm(SCHED), {}, (c) => (c.template === 't' ? ['template "t" not found (known: user-prep, exec-digest)'] : []));
    expect(o.errors.map((i) => `${i.line}: ${i.path}: ${i.message}`)).toEqual([
      '20: comms[0].template: template "t" not found (known: user-prep, exec-digest)',
    ]);
    let calls = 0;
    run(comm('schedule: { at: nowhere, offset: "-1 day" }'), {}, () => {
      calls++;
      return [];
    });
    expect(calls).toBe(0);
  });
});
