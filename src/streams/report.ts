/** What stream appends and consumers report on the diagnostics channels `trading-platform:stream:append` and `:delivery`. */
import { dc } from '../diagnostics/channels.js';
import type { StreamDeliveryOutcome } from '../diagnostics/payloads.js';
import { channelLabel } from '../events/channel-label.js';

/** Reports `count` entries of `channel` that a consumer of `group` brought to `outcome`, when someone listens. */
export function reportDelivery(channel: string, group: string, outcome: StreamDeliveryOutcome, count: number): void {
  if (count > 0 && dc.streamDelivery.hasSubscribers) dc.streamDelivery.publish({ channel: channelLabel(channel), group, outcome, count });
}

/**
 * `append` settling as it would, reported on `trading-platform:stream:append` when someone
 * listens (checked once, at the call).
 */
export function reportedAppend(channel: string, append: Promise<string>): Promise<string> {
  if (!dc.streamAppend.hasSubscribers) return append;
  const label = channelLabel(channel);
  return append.then(
    (id) => {
      dc.streamAppend.publish({ channel: label, outcome: 'appended' });
      return id;
    },
    (error: unknown) => {
      dc.streamAppend.publish({ channel: label, outcome: 'failed' });
      throw error;
    },
  );
}
