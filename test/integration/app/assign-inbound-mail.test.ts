/**
 * Assigning an inbox item: an unmatched reply (no reply token, quoting no Herald message) is
 * recorded as the chosen person's answer through recordResponse, leaves the inbox, and cannot be
 * assigned twice; a wrong option changes nothing and leaves the item in the inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignInboundMail } from '../../../src/app/assign-inbound-mail.ts';
import { listInbox } from '../../../src/app/list-inbox.ts';
import { receiveInboundMail } from '../../../src/app/receive-inbound-mail.ts';
import { showInboundMail } from '../../../src/app/show-inbound-mail.ts';
import { HeraldError } from '../../../src/domain/errors.ts';
import { ResponseRejectedError } from '../../../src/domain/response.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { mailFixture } from '../../support/mail-fixtures.ts';
import { RESPONSES_PROJECT, seedResponses, type SeededResponses } from '../../support/responses.ts';

const NOW = new Date('2030-01-20T15:00:00Z');
const clock = { now: () => NOW };

describe('assign inbound mail', () => {
  let db: TestDatabase;
  let seed: SeededResponses;
  const unmatched = async (messageId: string, from = 'bea.private@mail.example'): Promise<string> => {
    const raw = mailFixture('gmail-en', { TO: 'pmo@herald.example', FROM: from, MESSAGE_ID: messageId, IN_REPLY_TO: '<not-ours@mail.example>' });
    const r = await receiveInboundMail({ stores: db.stores, clock, secret: TEST_SECRET, publicUrl: 'http://herald.test' }, raw, { via: 'webhook' });
    expect(r.outcome).toBe('unmatched');
    return r.id;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db, new Date('2030-01-20T14:00:00Z'));
  });
  afterAll(async () => db?.drop());

  it('shows the item with its quoted history stripped', async () => {
    const id = await unmatched('<show-1@mail.example>');
    const view = await showInboundMail(db, RESPONSES_PROJECT, id);
    expect(view).toMatchObject({ from: 'bea.private@mail.example', subject: 'Re: How is Outlook working for you after the move?', open: true });
    expect(view.text).toBe('Some issues — Teams keeps crashing when I share my screen.');
    expect(view.fullText).toContain('Your mailbox moved on Monday');
  });

  it('records the answer for the chosen person and message, and the item leaves the inbox', async () => {
    const id = await unmatched('<assign-1@mail.example>');
    expect((await listInbox(db, RESPONSES_PROJECT)).map((e) => e.id)).toContain(id);
    const m = seed.message('checkin', 'ben', 'email');
    const r = await assignInboundMail(
      { stores: db.stores, clock },
      { project: RESPONSES_PROJECT, inboundId: id, person: 'ben', messageId: m.id, option: 'minor', comment: 'Teams keeps crashing', by: 'pm-editor' },
    );
    expect(r.recorded.kind).toBe('created');
    expect(r.recorded.response).toMatchObject({
      option: 'minor',
      comment: 'Teams keeps crashing',
      channel: 'email-reply',
      sourceRef: 'mail:<assign-1@mail.example>',
      fromOtherAddress: true,
      personId: m.personId,
    });
    expect(await db.prisma.inboundMail.findUniqueOrThrow({ where: { id }, omit: { raw: true } })).toMatchObject({
      outcome: 'assigned',
      reason: 'assigned by pm-editor to Ben Okoro on Checkin',
      personId: m.personId,
      messageId: m.id,
      responseId: r.recorded.response.id,
    });
    expect((await listInbox(db, RESPONSES_PROJECT)).map((e) => e.id)).not.toContain(id);
    // A second assignment (another tab, a double click) is refused and records nothing.
    const again = assignInboundMail(
      { stores: db.stores, clock },
      {
        project: RESPONSES_PROJECT,
        inboundId: id,
        person: 'ana',
        messageId: seed.message('checkin', 'ana', 'email').id,
        option: 'good',
        comment: null,
        by: 'pm-editor',
      },
    );
    await expect(again).rejects.toMatchObject({ code: 'INBOX_ITEM_CLOSED' });
    expect(await db.prisma.response.count({ where: { personId: seed.message('checkin', 'ana', 'email').personId, sourceRef: { startsWith: 'mail:' } } })).toBe(
      0,
    );
  });

  it("a wrong option or someone else's message changes nothing and leaves the item in the inbox", async () => {
    const id = await unmatched('<assign-2@mail.example>', 'cy@herald.example');
    const m = seed.message('checkin', 'cy', 'email');
    const wrong = assignInboundMail(
      { stores: db.stores, clock },
      { project: RESPONSES_PROJECT, inboundId: id, person: 'cy', messageId: m.id, option: 'maybe', comment: null, by: 'pm' },
    );
    await expect(wrong).rejects.toBeInstanceOf(ResponseRejectedError);
    const notTheirs = assignInboundMail(
      { stores: db.stores, clock },
      { project: RESPONSES_PROJECT, inboundId: id, person: 'ana', messageId: m.id, option: 'good', comment: null, by: 'pm' },
    );
    await expect(notTheirs).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const notSurvey = assignInboundMail(
      { stores: db.stores, clock },
      { project: RESPONSES_PROJECT, inboundId: id, person: 'cy', messageId: seed.message('tips', 'cy', 'email').id, option: null, comment: 'x', by: 'pm' },
    );
    await expect(notSurvey).rejects.toBeInstanceOf(HeraldError);
    expect(await db.prisma.inboundMail.findUniqueOrThrow({ where: { id }, omit: { raw: true } })).toMatchObject({ outcome: 'unmatched', responseId: null });
    expect((await listInbox(db, RESPONSES_PROJECT)).map((e) => e.id)).toContain(id);
    // From the person's own address: recorded, not flagged.
    const ok = await assignInboundMail(
      { stores: db.stores, clock },
      { project: RESPONSES_PROJECT, inboundId: id, person: 'cy', messageId: m.id, option: 'good', comment: null, by: 'pm' },
    );
    expect(ok.recorded.response).toMatchObject({ option: 'good', fromOtherAddress: false });
  });
});
