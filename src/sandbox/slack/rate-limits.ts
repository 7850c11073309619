import type { Reply } from './reply.ts';
import type { SlackSandboxOptions } from './types.ts';

/**
 * Slack's "about one message per second per channel", plus an optional workspace cap, for
 * chat.postMessage: a 429 `ratelimited` with Retry-After, or undefined when the post may go.
 */
export function slackRateLimits(
  opts: Pick<SlackSandboxOptions, 'perChannelPerSecond' | 'workspacePerMinute'>,
): (channel: string, at: number) => Reply | undefined {
  const perChannelPerSecond = opts.perChannelPerSecond ?? 1;
  const channelIntervalMs = perChannelPerSecond > 0 ? 1000 / perChannelPerSecond : 0;
  const lastPostByChannel = new Map<string, number>();
  const workspacePosts: number[] = [];
  return (channel, at) => {
    const last = lastPostByChannel.get(channel);
    if (channelIntervalMs > 0 && last !== undefined && at - last < channelIntervalMs) {
      return { status: 429, payload: { ok: false, error: 'ratelimited' }, retryAfter: Math.max(1, Math.ceil((last + channelIntervalMs - at) / 1000)) };
    }
    if (opts.workspacePerMinute !== undefined) {
      while (workspacePosts.length > 0 && (workspacePosts[0] ?? 0) <= at - 60_000) workspacePosts.shift();
      if (workspacePosts.length >= opts.workspacePerMinute) {
        const oldest = workspacePosts[0] ?? at;
        return { status: 429, payload: { ok: false, error: 'ratelimited' }, retryAfter: Math.max(1, Math.ceil((oldest + 60_000 - at) / 1000)) };
      }
      workspacePosts.push(at);
    }
    lastPostByChannel.set(channel, at);
    return undefined;
  };
}
