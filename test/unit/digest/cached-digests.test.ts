import { describe, expect, it } from 'vitest';
import { cachedDigests, type DigestRequest } from '../../../src/app/build-digest.ts';
import { computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import type { Plan } from '../../../src/domain/plan/model.ts';
import { NOW, snapshot } from './fixture.ts';

const request = (projectId: string, now = NOW): DigestRequest => ({ projectId, plan: {} as Plan, now });

describe('cachedDigests', () => {
  it('computes once per project and send instant within its lifetime, and forgets failures', async () => {
    let calls = 0;
    let clock = 0;
    let fail = false;
    const source = cachedDigests(
      async () => {
        calls++;
        if (fail) throw new Error('db down');
        return computeDigest(snapshot(), NOW);
      },
      1000,
      () => clock,
    );
    await Promise.all([source(request('p')), source(request('p')), source(request('p'))]);
    expect(calls).toBe(1);
    await source(request('q'));
    await source(request('p', new Date(NOW.getTime() + 1)));
    expect(calls).toBe(3);
    clock = 1000;
    await source(request('p'));
    expect(calls).toBe(4);
    fail = true;
    clock = 5000;
    await expect(source(request('p'))).rejects.toThrow('db down');
    fail = false;
    await source(request('p'));
    expect(calls).toBe(6);
  });
});
