// `dateline newsletter` as an operator runs it (in-process through cli/main.ts, each command opening its own
// runtime like the real command), on each dialect, with an SMTP sink that counts what arrives: list shows the
// schedule, next issue, subscribers and last send; send-now --wait sends a digest to every confirmed reader
// exactly once and prints the figures; a second send-now with nothing new says so and exits 1; pause,
// resume and cancel change a live send and status reads it back; a change the state does not allow is
// DATELINE_ERR_NEWSLETTER_ISSUE_STATE with exit 1; without SMTP_URL the digest goes to the outbox; and wrong
// arguments are usage errors (exit 2).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { commandDatabase, DIALECTS } from '../../test/dialects.ts';
import { loadConfig } from '../config/config.ts';
import { startBulkSink } from '../newsletters/sending/testing.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { main } from './main.ts';

const READERS = ['ana.reader@example.com', 'ben.reader@example.com', 'cleo.reader@example.com'];

for (const dialect of DIALECTS) {
  describe(`dateline newsletter [${dialect}]`, () => {
    const saved = { ...process.env };
    const log = console.log;
    const error = console.error;
    let out: string[] = [];
    let err: string[] = [];
    let database: Awaited<ReturnType<typeof commandDatabase>> | undefined;
    let sink: Awaited<ReturnType<typeof startBulkSink>>;
    let worldId = 0;
    let siteId = 0;
    let stories = 0;

    /** The runtime as a command opens it, for the test's own set-up and read-backs. */
    async function withRt<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
      const rt = await openRuntime(loadConfig(), pino({ level: 'silent' }));
      try {
        return await fn(rt);
      } finally {
        await rt.close();
      }
    }

    const publishStory = (rt: Runtime) =>
      rt.articles.create(
        {
          siteId,
          sectionId: worldId,
          headline: `Harbour ferries change their timetable, part ${++stories}`,
          dek: 'The winter service starts on Monday.',
          bodyHtml: '<p>The ferry company published its winter timetable.</p>',
          status: 'published',
        },
        'test',
      );

    /** Runs `dateline newsletter …` and returns its exit code and what it printed. */
    async function cli(...args: string[]) {
      out = [];
      err = [];
      const code = await main(['newsletter', ...args]);
      return { code, out: out.join('\n'), err: err.join('\n') };
    }

    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dateline-newsletter-cli-'));
      database = await commandDatabase(dialect, dir);
      sink = await startBulkSink({ keepRaw: true });
      Object.assign(process.env, {
        DATELINE_DATA_DIR: dir,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        DATELINE_DEMO: 'false',
        SMTP_URL: sink.url,
      });
      console.log = (...a: unknown[]) => out.push(a.join(' '));
      console.error = (...a: unknown[]) => err.push(a.join(' '));
      await withRt(async (rt) => {
        const site = await rt.sites.create({
          slug: 'times',
          name: 'Example Times',
          timeZone: 'Asia/Tokyo',
          hosts: ['times.localhost'],
        });
        siteId = site.id;
        worldId = (await rt.sections.create(site.id, { slug: 'world', name: 'World' })).id;
        await rt.directory.load();
        const lists = rt.newsletterSignup.lists;
        const digest = await lists.create(site.id, {
          slug: 'morning',
          name: 'Morning Briefing',
          kind: 'digest',
          schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
          composition: { topCount: 5, sections: [] },
          senderName: 'The Times',
          senderEmail: 'newsletters@times.example.com',
        });
        await lists.create(site.id, {
          slug: 'alerts',
          name: 'Breaking news alerts',
          kind: 'alerts',
          senderName: 'The Times',
          senderEmail: 'alerts@times.example.com',
        });
        const k = rt.db.kysely;
        for (const [i, email] of [...READERS, 'dan.pending@example.com'].entries()) {
          const s = await k
            .insertInto('newsletter_subscribers')
            .values({ email })
            .returning('id')
            .executeTakeFirstOrThrow();
          await k
            .insertInto('newsletter_subscriptions')
            .values({
              subscriber_id: s.id,
              newsletter_id: digest.id,
              status: i < READERS.length ? 'active' : 'pending',
              consent_source: 'form',
            })
            .execute();
        }
        await publishStory(rt);
        await publishStory(rt);
      });
    });
    after(async () => {
      console.log = log;
      console.error = error;
      process.env = saved;
      await sink?.close();
      await database?.drop();
    });

    test('list: schedule in words, next issue in the site zone, subscribers, nothing sent yet', async () => {
      const r = await cli('list');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^times {2}Example Times {2}\(Asia\/Tokyo\)$/m);
      assert.match(r.out, /morning {2}"Morning Briefing" {2}digest/);
      assert.match(
        r.out,
        /Every weekday at 7:00 \(Japan Standard Time\); next issue (Mon|Tue|Wed|Thu|Fri), \d{1,2} \w{3} \d{4}, 07:00 GMT\+9/,
      );
      assert.match(r.out, /3 confirmed subscribers \(1 not yet confirmed\)/);
      assert.match(r.out, /alerts {2}"Breaking news alerts" {2}alert list\n {8}When major news breaks\n/);
      assert.match(r.out, /Last send: nothing sent yet/);

      const json = await cli('list', '--site', 'times', '--json');
      assert.equal(json.code, 0, json.err);
      const [site] = JSON.parse(json.out);
      assert.equal(site.site.slug, 'times');
      const morning = site.newsletters.find((n: { slug: string }) => n.slug === 'morning');
      assert.equal(morning.confirmedSubscribers, 3);
      assert.equal(morning.pendingSubscribers, 1);
      assert.equal(morning.lastSend, null);
      assert.ok(new Date(morning.nextIssueAt).getTime() > Date.now());

      assert.equal((await cli('list', '--site', 'nowhere')).code, 2);
    });

    test('send-now --wait sends the digest to every confirmed reader once and prints the figures', async () => {
      const r = await cli('send-now', 'morning', '--site', 'times', '--wait');
      assert.equal(r.code, 0, r.err);
      const issueId = Number(/Issue (\d+) of "Morning Briefing"/.exec(r.out)?.[1]);
      assert.ok(issueId > 0, r.out);
      assert.match(r.out, new RegExp(`Issue ${issueId}: sent\\n {2}Sent 3 of 3; failed 0, deferred 0`));
      // Read back at the sink: each confirmed reader exactly once, the pending address not at all.
      for (const email of READERS) assert.equal(sink.counts.get(email), 1, email);
      assert.equal(sink.counts.get('dan.pending@example.com'), undefined);
      assert.equal(sink.accepted(), 3);
      assert.match(sink.raw[0]!.data, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

      const status = await cli('status', String(issueId), '--json');
      assert.equal(status.code, 0, status.err);
      const p = JSON.parse(status.out);
      assert.equal(p.status, 'sent');
      assert.equal(p.total, 3);
      assert.equal(p.sent, 3);
      const list = await cli('list', '--site', 'times');
      assert.match(list.out, new RegExp(`Last send: issue ${issueId}, sent, .*3 of 3 sent`));

      // Nothing published since: the next issue is empty, not sent, and says so with exit 1.
      const again = await cli('send-now', 'morning', '--site', 'times', '--wait');
      assert.equal(again.code, 1);
      assert.match(again.err, /Nothing new was published since the last issue of "Morning Briefing"/);
      const emptyId = Number(/issue (\d+) was not sent/.exec(again.err)?.[1]);
      assert.equal(
        await withRt(async (rt) => (await rt.newsletterSender.progress(emptyId)).status),
        'cancelled',
      );
      assert.equal(sink.accepted(), 3, 'nothing more arrived');

      // A sent issue cannot be paused, resumed or cancelled: the catalogue's code and exit 1.
      for (const action of ['pause', 'resume', 'cancel']) {
        const refused = await cli(action, String(issueId));
        assert.equal(refused.code, 1, action);
        assert.match(refused.err, /^DATELINE_ERR_NEWSLETTER_ISSUE_STATE: Issue \d+ /, action);
      }
      const missing = await cli('status', '999999');
      assert.equal(missing.code, 1);
      assert.match(missing.err, /^DATELINE_ERR_NEWSLETTER_ISSUE_NOT_FOUND/);
    });

    test('send-now without --wait queues the send; pause, resume and cancel change it', async () => {
      await withRt(publishStory);
      const r = await cli('send-now', 'morning', '--site', 'times');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /is queued to send\. The server's job worker sends it/);
      const issueId = Number(/Issue (\d+) of/.exec(r.out)?.[1]);
      // No worker runs here, so the send waits with its recipients frozen.
      const status = await cli('status', String(issueId));
      assert.match(status.out, new RegExp(`^Issue ${issueId}: sending\\n {2}Sent 0 of 3;`));

      const paused = await cli('pause', String(issueId));
      assert.equal(paused.code, 0, paused.err);
      assert.match(paused.out, /: paused\n[\s\S]*Note: Paused by .+ \(command line\) at /);
      assert.equal((await cli('resume', String(issueId))).code, 0);
      assert.match((await cli('status', String(issueId))).out, /: sending\n/);
      const cancelled = await cli('cancel', String(issueId), '--json');
      assert.equal(cancelled.code, 0, cancelled.err);
      const p = JSON.parse(cancelled.out);
      assert.equal(p.status, 'cancelled');
      assert.equal(p.cancelled, 3);
      // A cancelled send does not resume; and nothing of it went out.
      const resumed = await cli('resume', String(issueId));
      assert.equal(resumed.code, 1);
      assert.match(resumed.err, /DATELINE_ERR_NEWSLETTER_ISSUE_STATE/);
      assert.equal(sink.accepted(), 3);
    });

    test('without SMTP_URL, send-now --wait writes the digest to the outbox and says so', async () => {
      await withRt(publishStory);
      const smtp = process.env.SMTP_URL;
      delete process.env.SMTP_URL;
      try {
        const r = await cli('send-now', 'morning', '--site', 'times', '--wait');
        assert.equal(r.code, 0, r.err);
        assert.match(r.out, /No SMTP_URL is set, so the mails go to the outbox \(dateline mail outbox\)/);
        assert.match(r.out, /: sent\n {2}Sent 3 of 3;/);
        const issueId = Number(/Issue (\d+) of/.exec(r.out)?.[1]);
        const rows = await withRt((rt) =>
          rt.db.kysely
            .selectFrom('mail_messages')
            .select('to_address')
            .where('kind', '=', 'newsletter')
            .where('key', 'like', `newsletter:${issueId}:%`)
            .execute(),
        );
        assert.deepEqual(rows.map((m) => m.to_address).sort(), [...READERS].sort());
        assert.equal(sink.accepted(), 3, 'nothing went to the SMTP server');
      } finally {
        process.env.SMTP_URL = smtp;
      }
    });

    // The test's own timeout: without the --timeout rule the command would wait for ever, not fail.
    test('send-now --wait --timeout stops waiting when the SMTP server stays away, and leaves the send to the server', {
      timeout: 90_000,
    }, async () => {
      await withRt(publishStory);
      const smtp = process.env.SMTP_URL;
      // A port nothing listens on: every connection is refused, so the send waits for the server to come back.
      const closed = await new Promise<number>((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const { port } = srv.address() as AddressInfo;
          srv.close(() => resolve(port));
        });
      });
      process.env.SMTP_URL = `smtp://127.0.0.1:${closed}`;
      let waited: { code: number; out: string; err: string };
      const started = Date.now();
      try {
        waited = await cli('send-now', 'morning', '--site', 'times', '--wait', '--timeout', '2');
      } finally {
        process.env.SMTP_URL = smtp;
      }
      assert.ok(Date.now() - started < 60_000, 'it returned instead of waiting for the SMTP server');
      assert.equal(waited.code, 1, waited.out);
      assert.match(waited.out, /: sending\n {2}Sent 0 of 3;/);
      assert.match(
        waited.err,
        /Stopped waiting after the --timeout; the send goes on in the server's job worker/,
      );
      const id = Number(/Issue (\d+) of/.exec(waited.out)?.[1]);
      const status = await cli('status', String(id));
      assert.match(status.out, new RegExp(`Issue ${id}: sending`));
      // Cancelled, so the readers get nothing more from it here.
      assert.equal((await cli('cancel', String(id))).code, 0);
      assert.equal(sink.accepted(), 3);
    });

    test('wrong arguments are usage errors that say what to do', async () => {
      const cases: [string[], RegExp][] = [
        [['send-now', 'morning'], /--site SITE/],
        [['send-now', '--site', 'times'], /slug or id/],
        [['send-now', 'alerts', '--site', 'times'], /alert list: alerts go out when an urgent story/],
        [['send-now', 'evening', '--site', 'times'], /no newsletter "evening".*dateline newsletter list/],
        [['send-now', 'morning', '--site', 'nowhere'], /There is no site "nowhere"/],
        [['status', 'twelve'], /Give the issue id as a number/],
        [['status'], /Give the issue id as a number/],
        [['pause', '3', '--site', 'times'], /takes an issue id only/],
        [['list', 'times'], /use --site SITE/],
        [['resend'], /Unknown newsletter action "resend"/],
        [[], /newsletter takes list, send-now/],
        [['list', '--colour'], /Unknown option '--colour'/],
        [['send-now', 'morning', '--site', 'times', '--timeout', '5'], /--timeout goes with --wait/],
        [
          ['send-now', 'morning', '--site', 'times', '--wait', '--timeout', 'soon'],
          /number of seconds from 1 to 86400/,
        ],
      ];
      for (const [args, message] of cases) {
        const r = await cli(...args);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.err, message, args.join(' '));
        assert.match(r.err, /Usage:\n {2}dateline newsletter list/, args.join(' '));
      }
      const help = await cli('--help');
      assert.equal(help.code, 0);
      assert.match(
        help.out,
        /dateline newsletter send-now NEWSLETTER --site SITE \[--wait \[--timeout SECONDS\]\] \[--json\]/,
      );
    });
  });
}
