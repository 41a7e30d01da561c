// Prints an instant in the site's time zone inside <time datetime>, so machines read UTC and people read
// their local clock.
import type { SiteContext } from '../../sites/directory.ts';

export function Time({ ctx, at }: { ctx: SiteContext; at: Date }) {
  return <time dateTime={at.toISOString()}>{ctx.dateFormat.format(at)}</time>;
}
