// The email of a breaking alert, rendered once per issue for the send engine (its IssueRenderer for kind
// 'alert'): the newsletter templates' alert mail (src/newsletters/templates/alert.ts: headline, one line,
// the link to the story on the alert's site), whose footer carries the engine's per-recipient placeholders.
import type { Db } from '../../db/connection.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../../sites/urls.ts';
import type { IssueContent, IssueRenderer } from '../sending/content.ts';
import { renderAlertMail } from '../templates/alert.ts';
import { storyUrl } from './push-job.ts';

export class AlertMailRenderer implements IssueRenderer {
  constructor(private readonly deps: { db: Db; directory: SiteDirectory; publicUrls: UrlContext }) {}

  async render(issueId: number): Promise<IssueContent> {
    const issue = await this.deps.db.kysely
      .selectFrom('newsletter_issues')
      .select(['id', 'site_id', 'subject', 'intro', 'article_id'])
      .where('id', '=', issueId)
      .executeTakeFirstOrThrow();
    const ctx = this.deps.directory.byIdOrUndefined(issue.site_id);
    const origin = ctx ? siteOrigin(this.deps.publicUrls, ctx.site) : '';
    const url =
      (issue.article_id !== null ? await storyUrl(this.deps, issue.article_id, issue.site_id) : null) ??
      `${origin}/`;
    const mail = await renderAlertMail({
      site: {
        name: ctx?.site.name ?? 'News',
        origin,
        footerText: ctx?.site.footerText ?? '',
        primaryColor: ctx?.site.primaryColor ?? '#1a3d6d',
        language: ctx?.site.language ?? 'en',
      },
      headline: issue.subject,
      line: issue.intro,
      url,
    });
    return { subject: mail.subject, html: mail.html, text: mail.text, campaign: 'alert' };
  }
}
