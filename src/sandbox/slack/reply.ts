/** A Web API call's parameters and the answer the sandbox gives it. */
export type Body = Record<string, unknown>;

export interface Reply {
  status: number;
  payload: Record<string, unknown>;
  retryAfter?: number;
  injected?: boolean;
}

export const ok = (payload: Record<string, unknown> = {}): Reply => ({ status: 200, payload: { ok: true, ...payload } });
export const fail = (error: string): Reply => ({ status: 200, payload: { ok: false, error } });
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
