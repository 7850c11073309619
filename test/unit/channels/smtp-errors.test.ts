import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../../src/channels/email/errors.ts';

const smtp = (responseCode: number, command: string, code = command.startsWith('RCPT') ? 'EENVELOPE' : 'EMESSAGE') =>
  Object.assign(new Error(`${responseCode} nope`), { responseCode, command, code, response: `${responseCode} nope` });
const socket = (code: string) => Object.assign(new Error(code), { code });

describe('classifySmtpError', () => {
  it.each([421, 450, 451, 452])('makes %i retryable', (status) => {
    expect(classifySmtpError(smtp(status, 'RCPT TO'))).toMatchObject({ channel: 'email', reason: String(status), retryable: true, recipientRejected: false });
    expect(classifySmtpError(smtp(status, 'DATA'))).toMatchObject({ retryable: true });
  });

  it.each([550, 551, 553])('makes %i at RCPT a permanently rejected address', (status) => {
    expect(classifySmtpError(smtp(status, 'RCPT TO'))).toMatchObject({ reason: String(status), retryable: false, recipientRejected: true });
  });

  it('makes other 5xx permanent without blaming the address', () => {
    expect(classifySmtpError(smtp(552, 'RCPT TO'))).toMatchObject({ retryable: false, recipientRejected: false });
    expect(classifySmtpError(smtp(550, 'DATA'))).toMatchObject({ retryable: false, recipientRejected: false });
    expect(classifySmtpError(smtp(554, 'DATA'))).toMatchObject({ retryable: false, recipientRejected: false });
  });

  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'ESOCKET', 'ECONNECTION'])('makes %s retryable', (code) => {
    expect(classifySmtpError(socket(code))).toMatchObject({ reason: code, retryable: true });
  });

  it('does not retry authentication or unknown failures', () => {
    expect(classifySmtpError(socket('EAUTH'))).toMatchObject({ reason: 'EAUTH', retryable: false });
    expect(classifySmtpError(new Error('odd'))).toMatchObject({ reason: 'unexpected_error', retryable: false });
  });
});
