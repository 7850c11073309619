import { expect } from 'vitest';
import { ChannelError } from '../../../src/channels/channel.ts';

/** The ChannelError a send rejected with (fails the test if it resolved or threw anything else). */
export async function failureOf(p: Promise<unknown>): Promise<ChannelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  return err as ChannelError;
}
