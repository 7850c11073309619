import { describe, expect, it } from 'vitest';
import { classifyMail } from '../../../src/domain/inbound/classify.ts';
import { fixture, mail } from './helpers.ts';

describe('classifying inbound mail before matching', () => {
  it('reads a bounce: failed recipient, status code and the returned message ids', async () => {
    const m = await fixture('bounce', { RCPT: 'gone@northwind.example', IN_REPLY_TO: '<abc@herald.test>', HERALD_ID: 'abc' });
    const k = classifyMail(m);
    expect(k.kind).toBe('bounce');
    if (k.kind !== 'bounce') return;
    expect(k.failed).toEqual([{ address: 'gone@northwind.example', action: 'failed', status: '5.1.1', diagnostic: expect.stringContaining('550 5.1.1') }]);
    expect(k.report.originalMessageIds).toEqual(['<abc@herald.test>']);
    expect(k.report.heraldMessageIds).toEqual(['abc']);
  });

  it('tells a delay notice from a bounce', async () => {
    const k = classifyMail(await fixture('delay', { IN_REPLY_TO: '<abc@herald.test>' }));
    expect(k.kind).toBe('delay');
    if (k.kind === 'delay') expect(k.report.recipients[0]).toMatchObject({ action: 'delayed', status: '4.4.7' });
  });

  it('recognises out-of-office notices in English, German and French and read receipts', async () => {
    for (const name of ['out-of-office', 'out-of-office-de', 'out-of-office-fr'])
      expect(classifyMail(await fixture(name))).toMatchObject({ kind: 'auto-reply', readReceipt: false });
    expect(classifyMail(await fixture('read-receipt'))).toMatchObject({ kind: 'auto-reply', readReceipt: true });
  });

  it('classifies by RFC 3834 and vendor headers, and lets Auto-Submitted: no through', () => {
    expect(classifyMail(mail({ 'Auto-Submitted': 'auto-replied; owner-email="x@y"' })).kind).toBe('auto-reply');
    expect(classifyMail(mail({ 'Auto-Submitted': 'no' })).kind).toBe('reply');
    expect(classifyMail(mail({ 'X-Auto-Response-Suppress': 'All' })).kind).toBe('auto-reply');
    for (const p of ['bulk', 'junk', 'auto_reply']) expect(classifyMail(mail({ Precedence: p })).kind).toBe('auto-reply');
    expect(classifyMail(mail({ subject: 'Automatische Antwort: Umzug' })).kind).toBe('auto-reply');
    expect(classifyMail(mail({ subject: 'Réponse automatique : Migration' })).kind).toBe('auto-reply');
    expect(classifyMail(mail({ subject: 'Re: Automatic reply: x' })).kind).toBe('reply');
  });

  it('keeps mailing-list copies apart, after auto-replies', async () => {
    expect(classifyMail(await fixture('list-copy'))).toMatchObject({ kind: 'list', reason: expect.stringContaining('List-Id') });
    expect(classifyMail(mail({ Precedence: 'list' })).kind).toBe('list');
    // An out-of-office that came through a list is still an out-of-office.
    expect(classifyMail(mail({ 'List-Id': '<l.example>', 'Auto-Submitted': 'auto-replied' })).kind).toBe('auto-reply');
  });

  it('treats ordinary replies, unmatched mail and replies from other addresses as replies', async () => {
    for (const name of ['unmatched', 'other-address', 'in-reply-to-only']) expect(classifyMail(await fixture(name)).kind).toBe('reply');
  });
});
