// The newsletter bench's SMTP sink, in a process of its own: the sending server, the load generator and the
// sink would otherwise share one event loop, and the sink's parsing would be counted against the page load.
// It is src/newsletters/sending/testing.ts's startBulkSink (smtp-server, accepts everything, counts copies
// per recipient), driven by bench/newsletters.ts over IPC:
//   { op: 'reset' }            forget what arrived (counts start again from 0)
//   { op: 'total' }            → { total } accepted since the last reset
//   { op: 'waitFor', n }       → { total, at } as soon as n were accepted (at: epoch ms), polled every 5 ms
//   { op: 'counts' }           → { counts: [address, copies][] }
// The first message it sends is { url } once it listens.
import { startBulkSink } from '../src/newsletters/sending/testing.ts';

interface Request {
  id: number;
  op: 'reset' | 'total' | 'waitFor' | 'counts';
  n?: number;
}

const sink = await startBulkSink();
let base = 0;
const since = () => sink.accepted() - base;
const reply = (id: number, body: Record<string, unknown>) => process.send!({ id, ...body });

process.on('message', (m: Request) => {
  if (m.op === 'reset') {
    base = sink.accepted();
    sink.counts.clear();
    reply(m.id, { total: 0 });
  } else if (m.op === 'total') {
    reply(m.id, { total: since() });
  } else if (m.op === 'counts') {
    reply(m.id, { counts: [...sink.counts.entries()] });
  } else if (m.op === 'waitFor') {
    const n = m.n ?? 1;
    const check = () => {
      if (since() >= n) reply(m.id, { total: since(), at: Date.now() });
      else setTimeout(check, 5);
    };
    check();
  }
});
process.on('disconnect', () => {
  void sink.close().finally(() => process.exit(0));
});
process.send!({ id: 0, url: sink.url });
