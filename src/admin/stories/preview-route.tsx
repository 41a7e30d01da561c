// The preview page, on the story's own site host (not the admin's): /preview/<token> renders the story's
// real article page, whatever its status, for whoever has the link. It never enters the page cache (it is
// not served through PageServer), tells browsers and CDNs not to keep it (`private, no-store`) and search
// engines not to index it (the header and a robots meta). A revoked or unknown link, or one for a story of
// another site, is the site's ordinary 404.
import { previewView } from '../../articles/preview-view.ts';
import type { PreviewLinks } from '../../articles/previews.ts';
import { storyPath } from '../../articles/slug.ts';
import { ArticlePage } from '../../articles/views/article-page.tsx';
import { acceptedHostName, siteOrigin, urlContext } from '../../sites/urls.ts';
import { renderDocument } from '../../web/pages.ts';
import { ErrorPage } from '../../web/views/error-page.tsx';
import { isAdminRequest } from '../host.ts';
import type { AdminKit } from '../route-kit.tsx';

export function previewRoute(kit: AdminKit, previews: PreviewLinks): void {
  const { rt } = kit;
  kit.app.get<{ Params: { token: string } }>('/preview/:token', async (req, reply) => {
    if (isAdminRequest(req, kit.adminHost)) return kit.notFound(req, reply);
    reply.header('cache-control', 'private, no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
    if (rt.directory.needsReload) await rt.directory.fresh();
    const host = acceptedHostName(urlContext(req), req.host);
    const ctx = host ? rt.directory.forHost(host) : undefined;
    if (!ctx) return reply.code(404).type('text/plain; charset=utf-8').send('No such site');
    const found = await previews.resolve(req.params.token);
    const view =
      found && found.siteId === ctx.site.id ? await previewView(rt.db, rt.media, ctx, found.articleId) : null;
    if (!view) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(renderDocument(<ErrorPage ctx={ctx} status={404} />));
    }
    const section = ctx.sectionsById.get(view.placement.sectionId);
    const canonicalUrl = `${siteOrigin(urlContext(req), ctx.site)}${storyPath(section?.slug ?? 'story', view.placement.slug)}`;
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .send(
        renderDocument(
          <ArticlePage
            ctx={ctx}
            view={view}
            canonicalUrl={canonicalUrl}
            slots={{ head: <meta name="robots" content="noindex, nofollow" /> }}
          />,
        ),
      );
  });
}
