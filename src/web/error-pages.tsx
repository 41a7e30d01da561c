// The error page of a site as a page to serve: any feature's route answers a 400, 404 or 410 with it, and
// the error handler renders it for every failure a browser sees. Kept under the site's tag, so a change to
// the site (its name, sections, colours) drops cached error pages too.
import type { SiteContext } from '../sites/directory.ts';
import { tag } from './cache/invalidation.ts';
import type { Rendered } from './pages.ts';
import { ErrorPage } from './views/error-page.tsx';

export function errorRender(
  ctx: SiteContext,
  status: number,
  tags: string[] = [],
  cacheable = false,
): Rendered {
  return {
    status,
    html: <ErrorPage ctx={ctx} status={status} />,
    tags: [tag.site(ctx.site.id), ...tags],
    cacheable,
  };
}
