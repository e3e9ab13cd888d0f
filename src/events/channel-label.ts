/** The bounded name of a channel in diagnostics and metrics: the channel itself, or its family's pattern (`price.updated.*`). */
import { REGISTRY } from './registry.js';

/**
 * `channel` when it is one of the platform's single channels, the pattern of its family for a
 * channel of a family (`price.updated.AAPL` -> `price.updated.*`), so a symbol never becomes a
 * label; `other` for anything else.
 */
export function channelLabel(channel: string): string {
  const kind = REGISTRY.byChannel(channel);
  if (kind === undefined) return 'other';
  const rule = kind.channels;
  return 'channel' in rule ? rule.channel : `${rule.prefix}*`;
}
