import { describe, expect, it } from 'vitest';
import { channelsFor } from '../../../src/domain/audience.ts';
import { demoSlackId, demoWorkspace, slackUserOf } from '../../../src/demo/demo-workspace.ts';

const people = [
  { id: 'bea', name: 'Bea', email: 'bea@x.example', slack: 'U0BEA' },
  { id: 'raj', name: 'Raj', email: 'Raj@x.example' },
  { id: 'sven', name: 'Sven', slack: 'U0SVEN' },
  { id: 'ghost', name: 'Ghost' },
];

describe('demo Slack workspace', () => {
  it('has every person a Slack message can be planned for, so users.lookupByEmail finds the e-mail-only ones', () => {
    const members = demoWorkspace(people);
    for (const p of people) {
      // channels: [slack, email] (the cutover notice) plans Slack for anyone with an id or an e-mail.
      if (!channelsFor(p, { channels: ['slack', 'email'] }).includes('slack')) continue;
      const id = slackUserOf(p, members);
      expect(id, p.id).toBeDefined();
      if (!p.slack) expect(members.find((m) => m.id === id)?.email.toLowerCase()).toBe(p.email?.toLowerCase());
    }
    expect(members.map((m) => m.id)).toEqual(['U0BEA', demoSlackId('raj'), 'U0SVEN']);
    expect(new Set(members.map((m) => m.id)).size).toBe(members.length);
  });

  it('gives an e-mail-only person a stable Slack-shaped id', () => {
    expect(demoSlackId('raj')).toBe(demoSlackId('raj'));
    expect(demoSlackId('raj')).toMatch(/^U[A-Z0-9]{10}$/);
    expect(demoSlackId('raj')).not.toBe(demoSlackId('alex.khan'));
    expect(slackUserOf({ id: 'ghost', name: 'Ghost' }, demoWorkspace(people))).toBeUndefined();
  });
});
