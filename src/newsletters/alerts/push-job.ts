// The alerts.push job: sends one alert issue's push deliveries in slices of at most 20 s (so a job never
// holds its lease near the queue's 60 s), then queues the next round: at once when the slice ran out of
// time, or a little later while rows wait for a retry or are still claimed by another node. The notification carries the issue's headline and line, the story's URL on
// the issue's site, and the story's Topic, which the correction of a story shares with its first alert.
// A push-only issue (a correction, or any alert while the email engine is absent) is marked sent (or
// cancelled) here when its last delivery is done; an alert with email is the send engine's to finish.

import { storyPath } from '../../articles/slug.ts';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../../sites/urls.ts';
import { type AlertPayload, alertTopic, type PushSender } from '../push/sender.ts';
import { type AlertMail, blockOf, PUSH_JOB } from './service.ts';

export interface PushJobDeps {
  db: Db;
  jobs: JobQueue;
  push: PushSender;
  directory: SiteDirectory;
  publicUrls: UrlContext;
  mail: () => AlertMail | null;
  sliceMs?: number;
}

/** Longest title and body put in a notification; push services take about 4 KB of payload. */
const TITLE_MAX = 120;
const BODY_MAX = 240;

function cut(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** The story's address on a site: its placement there, under its section. */
export async function storyUrl(
  deps: Pick<PushJobDeps, 'db' | 'directory' | 'publicUrls'>,
  articleId: number,
  siteId: number,
): Promise<string | null> {
  const ctx = deps.directory.byIdOrUndefined(siteId);
  if (!ctx) return null;
  const p = await deps.db.kysely
    .selectFrom('placements')
    .select(['slug', 'section_id'])
    .where('article_id', '=', articleId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (!p) return null;
  const section = ctx.sectionsById.get(p.section_id);
  return `${siteOrigin(deps.publicUrls, ctx.site)}${storyPath(section?.slug ?? 'story', p.slug)}`;
}

export function registerPushJob(deps: PushJobDeps): void {
  const sliceMs = deps.sliceMs ?? 20_000;
  deps.jobs.register<{ issueId: number; round: number }>(PUSH_JOB, async ({ issueId, round }) => {
    const issue = await deps.db.kysely
      .selectFrom('newsletter_issues')
      .select(['id', 'site_id', 'subject', 'intro', 'article_id', 'items', 'status'])
      .where('id', '=', issueId)
      .executeTakeFirst();
    if (!issue || issue.article_id === null) return;
    if (issue.status === 'cancelled') {
      await deps.push.cancelUndelivered(issueId);
      return;
    }
    const url = await storyUrl(deps, issue.article_id, issue.site_id);
    const site = deps.directory.byIdOrUndefined(issue.site_id)?.site;
    const topic = alertTopic(issue.article_id);
    const payload: AlertPayload = {
      title: cut(issue.subject, TITLE_MAX),
      body: cut(issue.intro || site?.name || '', BODY_MAX),
      url: url ?? (site ? `${siteOrigin(deps.publicUrls, site)}/` : '/'),
      tag: topic,
      issueId,
    };
    const result = await deps.push.run(issueId, { payload, topic }, Date.now() + sliceMs);
    if (result.more) {
      // The slice's time ran out with rows still queued: go on at once (a 10,000-push alert takes more than
      // one slice). Otherwise rows wait for a retry or are in another node's hands: look again shortly.
      await deps.jobs.enqueue(
        PUSH_JOB,
        `${PUSH_JOB}:${issueId}:${round + 1}`,
        { issueId, round: round + 1 },
        { runAt: new Date(Date.now() + (result.timeUp ? 0 : 2_000)) },
      );
      return;
    }
    const pushOnly = blockOf(issue.items) === 'correction' || deps.mail() === null;
    if (!pushOnly) return;
    const counts = await deps.push.counts(issueId);
    const sent = counts.sent ?? 0;
    const cancelledAll = sent === 0 && (counts.cancelled ?? 0) > 0;
    const now = toDbTime(new Date());
    await deps.db.kysely
      .updateTable('newsletter_issues')
      .set({
        status: cancelledAll ? 'cancelled' : 'sent',
        recipient_count: Object.values(counts).reduce((a, b) => a + b, 0),
        sent_count: sent,
        failed_count: counts.failed ?? 0,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', issueId)
      .where('status', 'in', ['queued', 'sending'])
      .execute();
  });
}
