import { describe, expect, it } from 'vitest';
import { captureLog } from '../../support/log-capture.ts';
import { createLogger } from '../../../src/logger.ts';

const ADDRESS = 'raj.patel@northwind.example';
const TOKEN = 'eyJrIjoiYW5zd2VyIiwibSI6IjEyMyJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const BODY = 'Your mailbox moves on Saturday';

describe('info logs carry no message bodies, e-mail addresses or tokens', () => {
  it('redacts a sample send and a sample inbound event', () => {
    const { lines, stream } = captureLog();
    const log = createLogger('info', 'herald-test', stream);
    // A send, as an adapter would have it to hand.
    log.info(
      {
        messageId: 'm-1',
        channel: 'email',
        recipient: { id: 'raj.patel', email: ADDRESS },
        to: ADDRESS,
        rendered: { subject: BODY, text: BODY, html: `<p>${BODY}</p>` },
        body: BODY,
        token: TOKEN,
        unsubscribeUrl: `https://herald.test/u/${TOKEN}`,
      },
      `sent to ${ADDRESS}`,
    );
    // An inbound reply, shaped like startInbound's line plus what a parser yields.
    log.info(
      {
        via: 'smtp',
        inbound: 'i-1',
        kind: 'reply',
        outcome: 'recorded',
        fromAddress: ADDRESS,
        envelope: { mailFrom: ADDRESS, rcptTo: [`pmo+${TOKEN}@northwind.example`] },
        text: BODY,
        comment: BODY,
      },
      `inbound mail: reply from ${ADDRESS} to pmo+${TOKEN}@northwind.example matched`,
    );
    log.info({ req: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'request');
    const out = lines.join('');
    expect(lines).toHaveLength(3);
    expect(out).not.toContain(ADDRESS);
    expect(out).not.toContain('@northwind.example');
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(BODY);
    // What is left is still useful: ids, channel, outcome.
    expect(JSON.parse(lines[0]!)).toMatchObject({ messageId: 'm-1', channel: 'email', recipient: { id: 'raj.patel', email: '[redacted]' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ kind: 'reply', outcome: 'recorded', msg: 'inbound mail: reply from [email] to [email] matched' });
  });
});
