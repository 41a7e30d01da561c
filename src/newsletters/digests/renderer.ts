// The send engine's renderer for digests (IssueRenderer, kind 'digest'): reads an issue's stories as they
// are now (a story taken down since it was chosen is left out), with their headline, dek, lead picture and
// address on the issue's site, groups them into the blocks the issue prints (top stories, then each
// section's), and renders the MJML template once. Pictures are the site's fixed-width JPEG renditions;
// links go straight to the story, or through the site's own click counter when the list counts clicks.

import { storyPath } from '../../articles/slug.ts';
import type { Db } from '../../db/connection.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import { mediaUrl, RENDITION_WIDTHS } from '../../media/urls.ts';
import type { SiteContext, SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../../sites/urls.ts';
import type { NewsletterLists } from '../lists.ts';
import type { IssueContent, IssueRenderer } from '../sending/content.ts';
import {
  type DigestBlock,
  type DigestItem,
  isDigestTemplate,
  renderDigestMail,
} from '../templates/digest.ts';
import type { MailSite } from '../templates/frame.ts';
import { DigestIssues, type IssueItem } from './issues.ts';
import { clickUrl, openPixelUrl } from './tracking.ts';

export interface DigestRendererDeps {
  db: Db;
  lists: NewsletterLists;
  directory: SiteDirectory;
  urls: UrlContext;
  signingKey: () => Buffer;
}

interface StoryRow {
  id: number;
  headline: string;
  dek: string;
  leadMediaId: number | null;
  path: string;
  sectionId: number;
}

/** The widest rendition at most `want` pixels the picture has (the original's width when it is narrower). */
function pictureWidth(original: number, want: number): number {
  const fit = RENDITION_WIDTHS.filter((w) => w <= Math.min(want, original));
  return fit.length ? Math.max(...fit) : original;
}

export function mailSite(ctx: SiteContext, urls: UrlContext): MailSite {
  return {
    name: ctx.site.name,
    origin: siteOrigin(urls, ctx.site),
    footerText: ctx.site.footerText,
    primaryColor: ctx.site.primaryColor,
    language: ctx.site.language,
  };
}

export class DigestRenderer implements IssueRenderer {
  private readonly issues: DigestIssues;

  constructor(private readonly d: DigestRendererDeps) {
    this.issues = new DigestIssues(d.db.kysely);
  }

  /** The issue's stories still live on its site, in the issue's order. */
  async stories(siteId: number, items: IssueItem[]): Promise<Map<number, StoryRow>> {
    const ids = items.map((i) => i.articleId);
    if (ids.length === 0) return new Map();
    const ctx = this.d.directory.byIdOrUndefined(siteId);
    const rows = await this.d.db.kysely
      .selectFrom('placements as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select(['a.id', 'a.headline', 'a.dek', 'a.lead_media_id', 'p.slug', 'p.section_id'])
      .where('p.site_id', '=', siteId)
      .where('p.live', '=', 1)
      .where('a.status', '=', 'published')
      .where('a.id', 'in', ids)
      .execute();
    const out = new Map<number, StoryRow>();
    for (const r of rows)
      out.set(r.id, {
        id: r.id,
        headline: r.headline,
        dek: r.dek,
        leadMediaId: r.lead_media_id,
        path: storyPath(ctx?.sectionsById.get(r.section_id)?.slug ?? 'story', r.slug),
        sectionId: r.section_id,
      });
    return out;
  }

  async render(issueId: number): Promise<IssueContent> {
    const issue = await this.issues.require(issueId);
    const n = await this.d.lists.require(issue.newsletterId);
    const ctx = this.d.directory.byIdOrUndefined(issue.siteId);
    if (!ctx) throw new DatelineError('SITE_NOT_FOUND', `The site of issue ${issueId} no longer exists.`);
    const site = mailSite(ctx, this.d.urls);
    const key = this.d.signingKey();
    const track = n.trackEngagement;
    const stories = await this.stories(issue.siteId, issue.items);
    const mediaIds = [...stories.values()].map((s) => s.leadMediaId).filter((x): x is number => x !== null);
    const media = mediaIds.length
      ? await this.d.db.kysely
          .selectFrom('media')
          .select(['id', 'width', 'alt'])
          .where('id', 'in', mediaIds)
          .execute()
      : [];
    const mediaById = new Map(media.map((m) => [m.id, m]));
    const blocks: DigestBlock[] = [];
    const byBlock = new Map<string, DigestBlock>();
    let first = true;
    for (const item of issue.items) {
      const s = stories.get(item.articleId);
      if (!s) continue;
      let block = byBlock.get(item.block);
      if (!block) {
        const sectionId = Number(item.block.replace(/^section:/, ''));
        block = {
          title:
            item.block === 'top' ? 'Top stories' : (ctx.sectionsById.get(sectionId)?.name ?? 'More stories'),
          items: [],
        };
        byBlock.set(item.block, block);
        blocks.push(block);
      }
      const url = `${site.origin}${s.path}`;
      const m = s.leadMediaId ? mediaById.get(s.leadMediaId) : undefined;
      const wide = first;
      first = false;
      const it: DigestItem = {
        headline: s.headline,
        dek: s.dek,
        url: track ? clickUrl(key, site.origin, issue.id, url) : url,
        plainUrl: url,
        picture: m
          ? {
              src: `${site.origin}${mediaUrl(m.id, pictureWidth(m.width, wide ? 1200 : 480), 'jpeg')}`,
              alt: m.alt,
            }
          : null,
      };
      block.items.push(it);
    }
    const template = isDigestTemplate(n.template) ? n.template : 'standard';
    const dateLine = new Intl.DateTimeFormat(ctx.site.language, {
      timeZone: ctx.site.timeZone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    }).format(issue.scheduledFor ?? new Date());
    const mail = await renderDigestMail({
      site,
      newsletterName: n.name,
      dateLine,
      subject: issue.subject,
      intro: issue.intro,
      blocks,
      template,
      openPixel: track ? openPixelUrl(key, site.origin, issue.id) : null,
    });
    return { subject: issue.subject, html: mail.html, text: mail.text, campaign: n.slug };
  }
}
