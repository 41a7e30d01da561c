// The comments bench's second process: posts comments and casts votes into the bench database at steady
// rates (WRITER_POSTS_PER_SECOND, WRITER_VOTES_PER_SECOND) for WRITER_SECONDS, through the comment service,
// as readers on other app nodes would, while bench/comments.ts loads the article page. Prints what it wrote
// as one JSON line at the end.
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime } from '../src/runtime.ts';

const env = process.env;
const siteId = Number(env.WRITER_SITE);
const articleId = Number(env.WRITER_ARTICLE);
const users = String(env.WRITER_USERS).split(',').map(Number);
const seconds = Number(env.WRITER_SECONDS ?? 10);
const postsPerSecond = Number(env.WRITER_POSTS_PER_SECOND ?? 10);
const votesPerSecond = Number(env.WRITER_VOTES_PER_SECOND ?? 100);

const rt = await openRuntime(loadConfig(env), pino({ level: 'silent' }));
const ids = (
  await rt.db.kysely
    .selectFrom('comments')
    .select(['id', 'author_id'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'published')
    .execute()
).map((r) => ({ id: r.id, author: r.author_id }));

let posts = 0;
let votes = 0;
let refused = 0;
const t0 = performance.now();
const tickMs = 10;
while (performance.now() - t0 < seconds * 1000) {
  const elapsed = (performance.now() - t0) / 1000;
  // Catch up to the rates, one small batch per tick.
  while (posts < elapsed * postsPerSecond) {
    const userId = users[(posts * 17 + 5) % users.length]!;
    try {
      const c = await rt.comments.post(
        { userId, ip: `10.3.${(posts >> 8) & 255}.${posts & 255}` },
        {
          siteId,
          articleId,
          body: `A reader's note number ${posts} on the harbour story, written during the bench.`,
        },
      );
      ids.push({ id: c.id, author: userId });
    } catch {
      refused++;
    }
    posts++;
  }
  while (votes < elapsed * votesPerSecond) {
    const target = ids[(votes * 31) % ids.length]!;
    let voter = users[(votes * 7 + 3) % users.length]!;
    if (voter === target.author) voter = users[(votes * 7 + 4) % users.length]!;
    try {
      await rt.comments.vote(
        { userId: voter, ip: `10.4.${(voter >> 8) & 255}.${voter & 255}` },
        target.id,
        votes % 4 ? 1 : -1,
      );
    } catch {
      refused++;
    }
    votes++;
  }
  await new Promise((r) => setTimeout(r, tickMs));
}
const took = (performance.now() - t0) / 1000;
await rt.close();
console.log(JSON.stringify({ posts, votes, refused, seconds: Number(took.toFixed(1)) }));
