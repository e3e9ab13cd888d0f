/** The bounded name of a channel or subscribed pattern in diagnostics and metrics: the channel itself, or its family's pattern (`price.updated.*`). */
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

/** Redis glob syntax: `*`, `?`, `[...]`, and `\\` escapes. */
const GLOB = /[*?[\\]/;

/**
 * The bounded name of a pattern an `EventSubscriber` subscribed to: a family's own pattern
 * (`price.updated.*`) as it is; a pattern without glob characters matches only the channel of
 * that name, so it is labelled as that channel ({@link channelLabel}); any other pattern the
 * application chose is `pattern`, since it could name anything (a symbol included).
 */
export function patternLabel(pattern: string): string {
  if (REGISTRY.byFamilyPattern(pattern) !== undefined) return pattern;
  return GLOB.test(pattern) ? 'pattern' : channelLabel(pattern);
}
