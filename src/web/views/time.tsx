// Prints an instant in the site's time zone inside <time datetime>, so machines read UTC and people read
// their local clock. The zone's name ("Japan Standard Time") is kept on one line: a narrow teaser breaks
// before it rather than inside it.
import type { SiteContext } from '../../sites/directory.ts';

export function Time({ ctx, at }: { ctx: SiteContext; at: Date }) {
  const [clock, zone] = ctx.dateFormat.split(at);
  return (
    <time dateTime={at.toISOString()}>
      {clock}
      {zone ? <span class="time__zone">{zone}</span> : null}
    </time>
  );
}
