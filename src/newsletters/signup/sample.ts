// What a newsletter looks like, for the "See the latest issue" link on the signup page
// (/newsletters/<slug>/latest): the stories of the last issue sent, in its order, with its subject and
// intro; before any issue has gone out, a sample composed the way the digest will be (the newest stories,
// then the newest of each chosen section), so a reader can judge it before signing up.
import type { Kysely } from 'kysely';
import { listLive, liveTeasersOf, type Teaser } from '../../articles/repository.ts';
import type { Database } from '../../db/database.ts';
import { fromDbTime } from '../../db/values.ts';
import type { Newsletter } from '../lists.ts';

export interface SampleBlock {
  title: string | null;
  stories: Teaser[];
}

export interface IssueSample {
  /** Null for a composed sample (nothing sent yet). */
  sentAt: Date | null;
  subject: string;
  intro: string;
  blocks: SampleBlock[];
}

export async function latestIssue(
  q: Kysely<Database>,
  list: Newsletter,
  sectionName: (id: number) => string | null,
): Promise<IssueSample> {
  const sent = await q
    .selectFrom('newsletter_issues')
    .select(['id', 'subject', 'intro', 'items', 'finished_at', 'started_at', 'created_at'])
    .where('newsletter_id', '=', list.id)
    .where('status', '=', 'sent')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (sent) {
    let items: { articleId: number; block: string }[] = [];
    try {
      const parsed = JSON.parse(sent.items) as unknown;
      if (Array.isArray(parsed)) items = parsed.filter((i) => Number.isInteger(i?.articleId));
    } catch {
      items = [];
    }
    const live = await liveTeasersOf(
      q,
      list.siteId,
      items.map((i) => i.articleId),
    );
    const teasers = new Map(live.map((t) => [t.articleId, t]));
    const blocks: SampleBlock[] = [];
    for (const item of items) {
      const t = teasers.get(item.articleId);
      // A story taken down since the issue went out is left out of its web version.
      if (!t) continue;
      const title = item.block === 'top' || !item.block ? null : item.block;
      const last = blocks[blocks.length - 1];
      if (last && last.title === title) last.stories.push(t);
      else blocks.push({ title, stories: [t] });
    }
    return {
      sentAt: fromDbTime(sent.finished_at ?? sent.started_at ?? sent.created_at),
      subject: sent.subject,
      intro: sent.intro,
      blocks,
    };
  }
  const top =
    list.composition.topCount > 0
      ? await listLive(q, { siteId: list.siteId, limit: list.composition.topCount })
      : [];
  const seen = new Set(top.map((t) => t.articleId));
  const blocks: SampleBlock[] = top.length ? [{ title: null, stories: top }] : [];
  for (const s of list.composition.sections) {
    const name = sectionName(s.sectionId);
    if (!name) continue;
    const stories = (
      await listLive(q, { siteId: list.siteId, sectionId: s.sectionId, limit: s.count + seen.size })
    )
      .filter((t) => !seen.has(t.articleId))
      .slice(0, s.count);
    for (const t of stories) seen.add(t.articleId);
    if (stories.length) blocks.push({ title: name, stories });
  }
  return { sentAt: null, subject: list.name, intro: '', blocks };
}
