/** A message rendered for one person and one channel, ready for a ChannelAdapter. */
export interface RenderedMessage {
  channel: 'slack' | 'email';
  subject: string;
  /** Plain text: the email text part, or the Slack notification fallback. */
  text: string;
  /** Email only: full HTML document with CSS inlined. */
  html?: string;
  /** Slack only: Block Kit blocks. */
  blocks?: unknown[];
}
