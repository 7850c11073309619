/** Requests per minute per client address, by class of route (src/http/rate-limits.ts applies them). */
export interface RateLimits {
  /** Answer, unsubscribe and escalation links (HTTP_RATE_LIMIT_PER_MINUTE). */
  pages: number;
  /** `POST /signin`: each try looks a token up. */
  signin: number;
  /** `/api/v1/*` and the calendar feeds (`/calendar/*`), together. */
  api: number;
  /** `POST /slack/events`; Slack itself sends from many addresses, and a burst of clicks is legitimate. */
  slack: number;
  /** `POST /inbound/email`. */
  webhook: number;
}

export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = { pages: 600, signin: 30, api: 1200, slack: 12_000, webhook: 600 };
