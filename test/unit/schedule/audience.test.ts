import { describe, expect, it } from 'vitest';
import { channelsFor, recipientsOf } from '../../../src/domain/audience.ts';
import type { ChannelChoice, PersonSpec } from '../../../src/domain/plan/model.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';

const comm = (key: string) => examplePlan.comms.find((c) => c.key === key)!;
const person = (id: string) => examplePlan.people.find((p) => p.id === id)!;
const via = (channels: ChannelChoice[]) => ({ channels });

describe('recipientsOf', () => {
  it('cutover-ops-impact (ops + service-desk) reaches each person once, in plan order, even raj who is in both', () => {
    expect(recipientsOf(examplePlan, comm('cutover-ops-impact')).map((p) => p.id)).toEqual([
      'alex.khan',
      'bea.meyer',
      'fatima.singh',
      'dana',
      'raj',
      'lee',
      'sam',
    ]);
  });

  it('exec-weekly reaches only the executives', () => {
    expect(recipientsOf(examplePlan, comm('exec-weekly')).map((p) => p.id)).toEqual(['maria']);
  });

  it('an audience nobody is in gives no recipients', () => {
    expect(recipientsOf(examplePlan, { audiences: ['nobody'] })).toEqual([]);
  });
});

describe('channelsFor', () => {
  const both = person('omar.price');
  const emailOnly = person('jun.lopez');
  const slackOnly = person('sven.meyer');

  it('preferred = slack where the Slack id is known, else email', () => {
    expect(channelsFor(both, via(['preferred']))).toEqual(['slack']);
    expect(channelsFor(slackOnly, via(['preferred']))).toEqual(['slack']);
    expect(channelsFor(emailOnly, via(['preferred']))).toEqual(['email']);
  });

  it('slack is planned for an email-only person (the id is looked up by email at send time)', () => {
    expect(channelsFor(emailOnly, via(['slack']))).toEqual(['slack']);
  });

  it('email needs an address', () => {
    expect(channelsFor(slackOnly, via(['email']))).toEqual([]);
    expect(channelsFor(slackOnly, via(['email', 'slack']))).toEqual(['slack']);
  });

  it("keeps the comm's order and drops duplicates ([email, preferred, slack] for a person with both = email, slack)", () => {
    expect(channelsFor(both, via(['email', 'preferred', 'slack']))).toEqual(['email', 'slack']);
    expect(channelsFor(emailOnly, via(['preferred', 'email']))).toEqual(['email']);
  });

  it('a person with neither address gets nothing', () => {
    const nobody: Pick<PersonSpec, 'email' | 'slack'> = {};
    expect(channelsFor(nobody, via(['slack', 'email', 'preferred']))).toEqual([]);
  });
});
