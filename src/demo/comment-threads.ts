// The demo news site's comment threads, written for Dateline (invented members, invented conversation):
// nested replies, tallies in the reference style (one comment stands at -3 ( +37 / -40 )), a moderator's
// note ("Moderator: off-topic comment removed"), a deleted comment that replies still hang from, and a few
// members whose pages list what they wrote with "See in context". Written straight into the tables in one
// transaction (a few dozen rows, well under a second), with one comment.changed event per thread. Tallies
// are set on the comment rows, as an import brings them; no vote rows stand behind them.
import { slugFromName } from '../accounts/fields.ts';
import { uniqueProfileSlug } from '../accounts/repository.ts';
import { fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import type { DomainEvent } from '../events/bus.ts';
import type { Runtime } from '../runtime.ts';

const MEMBERS = [
  { name: 'Hana Mori', daysAgo: 820 },
  { name: 'Tom Whitaker', daysAgo: 640 },
  { name: 'Amara Osei', daysAgo: 410 },
  { name: 'Lucas Ferreira', daysAgo: 377 },
  { name: 'Ingrid Solberg', daysAgo: 290 },
  { name: 'Kenta Ishida', daysAgo: 155 },
  { name: 'Priya Raman', daysAgo: 61 },
] as const;

interface Spec {
  by: number;
  text: string;
  up?: number;
  down?: number;
  note?: string;
  deleted?: boolean;
  replies?: Spec[];
}

/** The lead story's thread: the long one. */
const LEAD: Spec[] = [
  {
    by: 0,
    text: 'Clear write-up. A map of the area would have helped, but the timeline at the end answers most of what I wanted to know.',
    up: 12,
    down: 1,
    replies: [
      {
        by: 1,
        text: 'Agreed on the map. I had to look up where half of these places are.',
        up: 4,
        replies: [
          {
            by: 0,
            text: 'The city publishes a decent one; it is the source named in the second paragraph.',
            up: 3,
            replies: [
              { by: 5, text: 'Found it, thanks. Four replies deep, we are getting somewhere.', up: 2 },
            ],
          },
        ],
      },
      {
        by: 3,
        text: 'The numbers in the fourth paragraph do not add up for me. If the total went up, how did every district report a fall?',
        up: 9,
        down: 2,
        replies: [
          {
            by: 4,
            text: 'Different baselines, I think. The total includes the districts that were added last year.',
            up: 7,
          },
        ],
      },
    ],
  },
  {
    by: 2,
    text: 'Honestly, this is a lot of fuss over very little. Nobody I know has noticed any difference, and I doubt anyone will by next year.',
    up: 37,
    down: 40,
    replies: [
      { by: 6, text: 'Nobody you know, perhaps. The people in the story clearly did.', up: 21, down: 3 },
      {
        by: 1,
        text: 'I half agree. The headline oversells it; the story itself is more careful.',
        up: 8,
        down: 6,
      },
    ],
  },
  {
    by: 4,
    text: 'I was there on the day, and it was calmer than the photos suggest.',
    up: 5,
    note: 'off-topic comment removed',
  },
  {
    by: 5,
    text: '',
    deleted: true,
    replies: [{ by: 3, text: 'Whatever was here, I am glad somebody said it.', up: 1 }],
  },
];

/** Shorter threads for the next stories, taken in turn. {place} is the story's dateline. */
const OTHERS: Spec[][] = [
  [
    {
      by: 3,
      text: 'Good to see {place} in the news for something other than the weather.',
      up: 5,
      replies: [{ by: 4, text: 'Give it a week.', up: 6, down: 1 }],
    },
  ],
  [
    {
      by: 6,
      text: 'Has anyone been? I am planning a trip in the autumn and would love to hear from someone who has.',
      up: 3,
      replies: [
        {
          by: 0,
          text: 'Twice last year. Go early in the day: by noon it is full.',
          up: 4,
          replies: [{ by: 6, text: 'Noted, thank you!', up: 1 }],
        },
      ],
    },
  ],
  [
    {
      by: 1,
      text: 'The second half of this piece is much stronger than the first. The quotes from the people involved carry it.',
      up: 2,
    },
    {
      by: 5,
      text: 'Small correction: the figure in the caption and the one in the text differ. Which one is right?',
      up: 11,
      replies: [
        {
          by: 2,
          text: 'The one in the text, going by the report itself. The caption probably has last year’s number.',
          up: 6,
        },
      ],
    },
  ],
  [
    {
      by: 4,
      text: 'I have lived here for twenty years and this is the first I have heard of it. Fascinating.',
      up: 8,
      down: 2,
      replies: [
        { by: 3, text: 'Same. It is the small local stories I read this site for.', up: 4 },
        { by: 1, text: 'Twenty years and never noticed? It is in the papers every spring.', up: 2, down: 5 },
      ],
    },
  ],
  [
    {
      by: 2,
      text: 'Not convinced. The plan sounds fine on paper, but so did the last three.',
      up: 14,
      down: 9,
      replies: [
        {
          by: 5,
          text: 'Fair, though this one comes with the money attached, which the others did not.',
          up: 10,
          down: 1,
        },
      ],
    },
  ],
];

/** How many of the news site's newest stories get a thread (the rest show "No comments yet"). */
const THREADS = 8;

export async function seedDemoComments(rt: Runtime, opts: { now: Date }): Promise<number> {
  const news = rt.directory.all().find((c) => c.site.slug === 'news');
  if (!news) return 0;
  const q = rt.db.kysely;
  const already = await q
    .selectFrom('comments')
    .select('id')
    .where('site_id', '=', news.site.id)
    .limit(1)
    .execute();
  if (already.length > 0) return 0;
  const stories = await q
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select(['a.id', 'a.dateline', 'p.published_at'])
    .where('p.site_id', '=', news.site.id)
    .where('p.live', '=', 1)
    .orderBy('p.published_at', 'desc')
    .limit(THREADS)
    .execute();
  if (stories.length === 0) return 0;
  const now = opts.now.getTime();
  const recorded = await q.transaction().execute(async (trx) => {
    const members: number[] = [];
    for (const m of MEMBERS) {
      const since = toDbTime(new Date(now - m.daysAgo * 86_400_000));
      const row = await trx
        .insertInto('users')
        .values({
          email: null,
          email_verified_at: null,
          display_name: m.name,
          profile_slug: await uniqueProfileSlug(trx, slugFromName(m.name)),
          avatar_media_id: null,
          password_hash: null,
          status: 'active',
          news_alerts_invited_at: null,
          news_alerts_confirmed_at: null,
          deleted_at: null,
          created_at: since,
          updated_at: since,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      members.push(row.id);
    }
    const events: { event: DomainEvent; id: number }[] = [];
    for (const [i, story] of stories.entries()) {
      const specs = i === 0 ? LEAD : OTHERS[(i - 1) % OTHERS.length]!;
      const published = fromDbTimeOrNull(story.published_at)?.getTime() ?? now - 86_400_000;
      // Comments arrive over the story's life so far (at most two days), in the order written.
      const span = Math.max(60_000, Math.min(now - published, 2 * 86_400_000) * 0.9);
      const total = countSpecs(specs);
      let n = 0;
      const at = () => new Date(published + (span * ++n) / (total + 1));
      const place = placeName(story.dateline);
      let first = 0;
      const write = async (
        list: Spec[],
        parent: { id: number; rootId: number | null; depth: number } | null,
      ) => {
        for (const s of list) {
          const created = toDbTime(at());
          const row = await trx
            .insertInto('comments')
            .values({
              site_id: news.site.id,
              article_id: story.id,
              parent_id: parent?.id ?? null,
              root_id: parent ? (parent.rootId ?? parent.id) : null,
              depth: parent ? parent.depth + 1 : 0,
              author_id: members[s.by]!,
              body: s.deleted ? '' : s.text.replace('{place}', place),
              status: s.deleted ? 'deleted' : 'published',
              reviewed_at: created,
              moderator_note: s.note ?? null,
              up_count: s.up ?? 0,
              down_count: s.down ?? 0,
              reply_count: (s.replies ?? []).filter((r) => !r.deleted).length,
              created_at: created,
              updated_at: created,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          if (first === 0) first = row.id;
          if (s.replies)
            await write(s.replies, {
              id: row.id,
              rootId: parent ? (parent.rootId ?? parent.id) : null,
              depth: parent ? parent.depth + 1 : 0,
            });
        }
      };
      await write(specs, null);
      const event: DomainEvent = {
        type: 'comment.changed',
        siteId: news.site.id,
        articleId: story.id,
        commentId: first,
      };
      events.push({ event, id: await rt.events.record(trx, event) });
    }
    return events;
  });
  for (const r of recorded) rt.events.published(r.event, r.id);
  return recorded.length;
}

function countSpecs(list: Spec[]): number {
  return list.reduce((n, s) => n + 1 + countSpecs(s.replies ?? []), 0);
}

/** "MOSCOW" or "Moscow, June 3" as a place in running text. */
function placeName(dateline: string | null): string {
  const city = dateline?.split(/[,(]/)[0]?.trim();
  if (!city) return 'this part of the world';
  return city
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}
