// Error pages inside the site's frame (404, 410, 400), saying what happened and where to go next, and the
// plain page for a host that is not a site of this network, which reveals nothing about the network.
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from './layout.tsx';

const TEXT: Record<number, { title: string; body: string }> = {
  400: {
    title: 'Bad request',
    body: 'The address has a part we cannot read. Check the link, or start again from the home page.',
  },
  404: {
    title: 'Page not found',
    body: 'There is no page at this address. It may have moved, or the link may be mistyped.',
  },
  410: {
    title: 'This story has been removed',
    body: 'The story that was here has been taken down and is no longer available.',
  },
};

export function ErrorPage({ ctx, status }: { ctx: SiteContext; status: number }) {
  const t = TEXT[status] ?? { title: 'Something went wrong', body: 'Please try again in a moment.' };
  return (
    <Layout ctx={ctx} title={t.title}>
      <div class="error-page">
        <h1>{t.title}</h1>
        <p>{t.body}</p>
        <p>
          Go to the <a href="/">{ctx.site.name} home page</a>
          {ctx.sections.length > 0 ? ', or browse a section:' : '.'}
        </p>
        {ctx.sections.length > 0 ? (
          <ul>
            {ctx.sections.map((s) => (
              <li key={s.id}>
                <a href={`/${s.slug}`}>{s.name}</a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Layout>
  );
}

export function NoSuchSitePage() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>No such site</title>
      </head>
      <body>
        <main>
          <h1>No such site</h1>
          <p>This address does not belong to a site served here. Check the address you typed.</p>
        </main>
      </body>
    </html>
  );
}

/** For http://localhost:PORT during local use: the sites of the network, with their addresses. */
export function NetworkDirectoryPage({ sites }: { sites: { name: string; tagline: string; url: string }[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Dateline network</title>
      </head>
      <body>
        <main class="directory">
          <h1>Sites on this Dateline install</h1>
          {sites.length === 0 ? <p>There are no sites yet. Add one with `dateline site add`.</p> : null}
          <ul>
            {sites.map((s) => (
              <li key={s.url}>
                <a href={s.url}>{s.name}</a> — {s.tagline}
              </li>
            ))}
          </ul>
        </main>
      </body>
    </html>
  );
}
