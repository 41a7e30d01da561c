// For the newsletters journey (newsletters-journey.test.ts): the mail the SMTP sink received, parsed as a
// mail client would read it (headers as sent, unfolded; the plain-text and HTML parts), waits on conditions
// instead of fixed sleeps, and a request to a site host without a browser or cookies, as a mail client's
// one-click unsubscribe is.
import { request } from 'node:http';
import { simpleParser } from 'mailparser';
import type { BulkSink } from '../../src/newsletters/sending/testing.ts';

export interface SinkMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Header values by lower-case name, as sent (folded lines joined). */
  headers: Map<string, string>;
}

/** Every message the sink kept (it must be started with keepRaw), in arrival order. */
export async function sinkMails(sink: BulkSink): Promise<SinkMail[]> {
  return Promise.all(
    sink.raw.map(async ({ to, data }) => {
      const m = await simpleParser(data);
      const headers = new Map<string, string>();
      for (const h of m.headerLines) {
        const value = h.line
          .replace(/\r?\n[ \t]+/g, ' ')
          .slice(h.line.indexOf(':') + 1)
          .trim();
        headers.set(h.key.toLowerCase(), value);
      }
      return { to, subject: m.subject ?? '', text: m.text ?? '', html: String(m.html || ''), headers };
    }),
  );
}

/** Checks `probe` every 25 ms until it gives a value, or fails after `timeoutMs` saying what it waited for. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  // Generous: the machine may be busy with other work; a pass takes well under a second when idle.
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The messages to `to` whose subject matches, once there are at least `n` of them. */
export function mailsTo(sink: BulkSink, to: string, subject: RegExp, n = 1): Promise<SinkMail[]> {
  return until(`${n} mail(s) to ${to} with subject ${subject}`, async () => {
    const got = (await sinkMails(sink)).filter((m) => m.to === to && subject.test(m.subject));
    return got.length >= n ? got : null;
  });
}

/**
 * A request to a URL on a site host (news.localhost:PORT), sent to 127.0.0.1 with that Host header: no
 * cookies, no session, no browser, like a mail client's List-Unsubscribe-Post.
 */
export function plainRequest(
  url: string,
  o: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: o.method ?? 'GET',
        headers: { host: u.host, ...o.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
