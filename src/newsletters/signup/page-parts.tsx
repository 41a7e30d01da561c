// Where newsletters show on every reader page, through the template slots (web/slots.ts,
// articles/page-slots.ts): the masthead's "Newsletter Signup" link on every page of every site, and at the
// end of each story a compact signup box for the site's article-box newsletter that says what the reader
// gets. The box is on cached pages, which carry no per-reader CSRF token, so it is a plain GET form to
// /newsletters with the address and the newsletter filled in: the signup itself is posted from there. Its
// fill carries the site's newsletters tag, so a change to the lists drops the pages that show it.

import { EMAIL_MAX } from '../../accounts/fields.ts';
import type { ArticleFacts, ArticleSlots, PageContributor } from '../../articles/page-slots.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { tag } from '../../web/cache/invalidation.ts';
import { fill, type MastheadItem } from '../../web/slots.ts';
import type { Newsletter, NewsletterLists } from '../lists.ts';
import { howOften } from './schedule-words.ts';

/** The masthead item: a link to the site's newsletters page. */
export const newsletterMastheadItem: MastheadItem = {
  render: () => (
    <a class="masthead__newsletters" href="/newsletters">
      Newsletter Signup
    </a>
  ),
};

export function ArticleBox({ ctx, list }: { ctx: SiteContext; list: Newsletter }) {
  return (
    <aside class="newsletter-box" aria-labelledby="newsletter-box-title">
      <h2 id="newsletter-box-title">{list.name}</h2>
      {list.description ? <p>{list.description}</p> : null}
      <p class="newsletter-box__often">{howOften(list, ctx.site.timeZone)}. Free.</p>
      <form class="newsletter-box__form" method="get" action="/newsletters">
        <input type="hidden" name="n" value={String(list.id)} />
        <label for="newsletter-box-email">Your email address</label>
        <div class="newsletter-box__row">
          <input
            id="newsletter-box-email"
            name="email"
            type="email"
            autocomplete="email"
            maxLength={EMAIL_MAX}
            required
          />
          <button class="btn" type="submit">
            Sign up
          </button>
        </div>
      </form>
      <p class="newsletter-box__small">
        We ask you to confirm your address first, and every issue has a link to leave with one click.{' '}
        <a href="/newsletters">All our newsletters</a>
      </p>
    </aside>
  );
}

/** Fills a story's afterBody slot with the site's article-box newsletter, when it has an active one. */
export class NewsletterArticleBox implements PageContributor {
  constructor(private readonly lists: NewsletterLists) {}

  async article({ ctx }: ArticleFacts): Promise<ArticleSlots> {
    const lists = await this.lists.listBySite(ctx.site.id, { activeOnly: true });
    const list = lists.find((l) => l.articleBox);
    const t = tag.newsletters(ctx.site.id);
    return list ? { afterBody: fill(<ArticleBox ctx={ctx} list={list} />, t) } : { afterBody: fill(null, t) };
  }
}
