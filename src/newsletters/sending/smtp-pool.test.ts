import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { PLACEHOLDER } from './content.ts';
import type { IssueFrame } from './message.ts';
import { PreparedIssue } from './prepared.ts';
import { BulkSmtpPool, poolTarget } from './smtp-pool.ts';

const key = randomBytes(32);

const frame: IssueFrame = {
  issueId: 3,
  newsletterId: 2,
  newsletterSlug: 'morning',
  newsletterName: 'Morning',
  siteId: 1,
  siteSlug: 'news',
  siteHost: 'news.example.com',
  origin: 'https://news.example.com',
  senderName: 'The Times',
  senderEmail: 'news@example.com',
  replyTo: null,
  content: {
    subject: 'Morning',
    html: `<p>Hi</p>\n.a line with a dot\n..two\n<a href="${PLACEHOLDER.unsubscribe}">Unsubscribe</a>`,
    text: `.\n.dot first\nPreferences: ${PLACEHOLDER.preferences}\n.`,
    campaign: 'morning',
  },
};

interface Server {
  url: string;
  got: { from: string; to: string; data: Buffer }[];
  commands: string[];
  close(): Promise<void>;
}

const servers: Server[] = [];
const pools: BulkSmtpPool[] = [];
after(async () => {
  for (const p of pools) p.close();
  for (const s of servers) await s.close();
});

async function server(opts: Partial<SMTPServerOptions> = {}, user = ''): Promise<Server> {
  const got: Server['got'] = [];
  const commands: string[] = [];
  const s = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('gone')) {
        const err = new Error('No such user') as Error & { responseCode: number };
        err.responseCode = 550;
        return cb(err);
      }
      if (address.address.startsWith('busy')) {
        const err = new Error('Try later') as Error & { responseCode: number };
        err.responseCode = 451;
        return cb(err);
      }
      cb();
    },
    onMailFrom(address, _session, cb) {
      commands.push(`MAIL ${address.address}`);
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          data: Buffer.concat(chunks),
        });
        cb();
      });
    },
    ...opts,
  });
  s.on('error', () => {});
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.server.address() as AddressInfo).port;
  const made: Server = {
    url: `smtp://${user}127.0.0.1:${port}`,
    got,
    commands,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
  servers.push(made);
  return made;
}

function pool(url: string, maxConnections = 2): BulkSmtpPool {
  const p = new BulkSmtpPool({
    target: poolTarget(url)!,
    maxConnections,
    timeoutMs: 2000,
    clientName: 'bulk.test',
  });
  pools.push(p);
  return p;
}

test('which URLs the pool speaks', () => {
  assert.deepEqual(poolTarget('smtp://u%40x:p%3Aw@mail.example.com:2525'), {
    host: 'mail.example.com',
    port: 2525,
    secure: false,
    user: 'u@x',
    pass: 'p:w',
  });
  assert.equal(poolTarget('smtps://mail.example.com')?.port, 465);
  assert.equal(poolTarget('smtp://mail.example.com')?.port, 587);
  assert.equal(
    poolTarget('smtp://mail.example.com?tls.rejectUnauthorized=false'),
    null,
    "options: nodemailer's",
  );
  assert.equal(poolTarget('direct:?'), null);
});

test('copies arrive byte for byte as built (dot-stuffing undone by the server), pipelined or not', async () => {
  const prepared = new PreparedIssue(frame, key);
  for (const hide of [false, true]) {
    const s = await server({ hidePIPELINING: hide });
    const p = pool(s.url);
    const copies = Array.from(
      { length: 12 },
      (_, i) => prepared.copy({ email: `r${i}@example.org`, subscriberId: i + 1, linkVersion: 1 })!,
    );
    const out = await Promise.all(copies.map((c) => p.send(c.from, c.to, c.stuffed)));
    assert.ok(
      out.every((o) => o.kind === 'sent'),
      JSON.stringify(out),
    );
    assert.equal(s.got.length, 12);
    for (const c of copies) {
      const g = s.got.find((x) => x.to === c.to)!;
      assert.equal(g.from, 'news@example.com');
      assert.equal(g.data.toString('latin1'), Buffer.concat(c.parts).toString('latin1'));
    }
    const m = await simpleParser(s.got[0]!.data);
    assert.match(
      m.text!,
      /^\.\n\.dot first\nPreferences: https:\/\/news\.example\.com\/newsletters\/preferences\?t=/,
    );
    assert.match(m.html as string, /\n\.a line with a dot\n\.\.two\n/);
  }
});

test('a 5xx recipient fails, a 4xx defers, and the connection carries on with the next message', async () => {
  const s = await server();
  const p = pool(s.url, 1);
  const prepared = new PreparedIssue(frame, key);
  const send = (email: string) => {
    const c = prepared.copy({ email, subscriberId: 1, linkVersion: 1 })!;
    return p.send(c.from, c.to, c.stuffed);
  };
  const gone = await send('gone@example.org');
  assert.equal(gone.kind, 'failed');
  assert.match((gone as { error: string }).error, /550 No such user/);
  assert.equal((await send('busy@example.org')).kind, 'deferred');
  assert.deepEqual(await send('fine@example.org'), { kind: 'sent' });
  assert.equal(s.got.length, 1);
});

test('AUTH PLAIN or LOGIN from the URL; refused credentials or no server make the send wait (unreachable)', async () => {
  const prepared = new PreparedIssue(frame, key);
  const c = prepared.copy({ email: 'a@example.org', subscriberId: 1, linkVersion: 1 })!;
  for (const methods of [['PLAIN', 'LOGIN'], ['LOGIN']]) {
    const seen: string[] = [];
    const opts: Partial<SMTPServerOptions> = {
      authOptional: false,
      allowInsecureAuth: true,
      authMethods: methods,
      onAuth(auth, _session, cb) {
        seen.push(`${auth.method}:${auth.username}`);
        if (auth.username === 'bulk' && auth.password === 's3cret:/') return cb(null, { user: 'bulk' });
        cb(new Error('Invalid username or password'));
      },
    };
    const s = await server(opts, 'bulk:s3cret%3A%2F@');
    assert.deepEqual(await pool(s.url).send(c.from, c.to, c.stuffed), { kind: 'sent' });
    assert.deepEqual(seen, [`${methods[0]}:bulk`]);
    const wrong = await server(opts, 'bulk:nope@');
    const out = await pool(wrong.url).send(c.from, c.to, c.stuffed);
    assert.equal(out.kind, 'unreachable', 'a refused login is no fault of the recipient');
    assert.match((out as { error: string }).error, /Invalid username or password/);
  }
  const probe = await server();
  const url = probe.url;
  await probe.close();
  servers.splice(servers.indexOf(probe), 1);
  assert.equal((await pool(url).send(c.from, c.to, c.stuffed)).kind, 'unreachable');
});
