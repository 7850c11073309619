import { describe, expect, it } from 'vitest';
import { ClientLimits } from '../../../src/channels/email/inbound/smtp-client-limits.ts';

describe('per-address limits of the inbound SMTP listener', () => {
  it('admits connections up to the cap per address, and again once one closes', () => {
    const limits = new ClientLimits({ connectionsPerAddress: 2, messagesPerMinutePerAddress: 100 });
    expect(limits.admit('a', '192.0.2.1')).toBeUndefined();
    expect(limits.admit('b', '192.0.2.1')).toBeUndefined();
    expect(limits.admit('c', '192.0.2.1')).toBe('too many connections from 192.0.2.1 (limit 2)');
    expect(limits.admit('d', '192.0.2.2')).toBeUndefined();
    // A refused connection's close does not free a place; an admitted one's does.
    limits.release('c');
    expect(limits.admit('e', '192.0.2.1')).toMatch(/^too many connections/);
    limits.release('a');
    expect(limits.admit('f', '192.0.2.1')).toBeUndefined();
  });

  it('refuses messages past the cap in a sliding minute, per address', () => {
    const limits = new ClientLimits({ connectionsPerAddress: 10, messagesPerMinutePerAddress: 2 });
    expect(limits.takeMessage('192.0.2.1', 0)).toBeUndefined();
    expect(limits.takeMessage('192.0.2.1', 30_000)).toBeUndefined();
    expect(limits.takeMessage('192.0.2.1', 59_000)).toBe('too many messages from 192.0.2.1 (limit 2 a minute)');
    expect(limits.takeMessage('192.0.2.2', 59_000)).toBeUndefined();
    expect(limits.takeMessage('192.0.2.1', 60_001)).toBeUndefined();
  });
});
