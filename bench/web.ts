// The foundation's page benchmarks: a real server process on a 10,000-story SQLite database, loaded with
// autocannon from this process, next to a bare node:http server sending the same bytes (the ceiling).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import autocannon from 'autocannon';

export interface LoadFigure {
  name: string;
  rps: number;
  /** Requests answered in all. */
  total: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(
  name: string,
  url: string,
  headers: Record<string, string>,
  opts: { connections?: number; seconds?: number; requests?: autocannon.Request[] } = {},
): Promise<LoadFigure> {
  const r = await autocannon({
    url,
    headers,
    connections: opts.connections ?? 32,
    duration: opts.seconds ?? 10,
    pipelining: 1,
    ...(opts.requests && { requests: opts.requests }),
  });
  return {
    name,
    rps: Math.round(r.requests.average),
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawn to the first successful article response. */
  startToFirstResponseMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

export async function startServer(
  env: Record<string, string>,
  probe: { host: string; path: string },
  port: number,
  nodeArgs: string[] = [],
  /** The tree whose dist/ to run (another commit's, for bench/baseline.ts); this one by default. */
  cwd?: string,
): Promise<ServerProcess> {
  const t0 = performance.now();
  // The same V8 flags as `npm start` (see docs/decisions/0002-small-young-generation.md).
  // The build the bench just compiled, started directly: bin/dateline.js would fall back to the TypeScript
  // sources (through tsx) as soon as anyone edits a source file in the working tree during a run.
  const args = ['--max-semi-space-size=2', ...nodeArgs, 'dist/src/cli/main.js', 'serve'];
  const child = spawn(process.execPath, args, {
    ...(cwd && { cwd }),
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATELINE_DEMO: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let first = -1;
  for (let i = 0; i < 3000 && first < 0; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe.path}`, { headers: { host: probe.host } });
      if (res.status === 200) first = performance.now() - t0;
      await res.arrayBuffer();
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  if (first < 0) throw new Error('the server did not answer within 15 s');
  return {
    child,
    port,
    startToFirstResponseMs: Math.round(first),
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The ceiling: node:http sending the same compressed bytes from memory, nothing else. */
export async function ceiling(body: Buffer, port: number): Promise<LoadFigure> {
  const br = brotliCompressSync(body);
  // A child process, like the real server: in this process it would share the load generator's event loop.
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const http=require('node:http');const br=Buffer.from(process.env.BODY,'base64');
       http.createServer((q,s)=>{s.writeHead(200,{'content-type':'text/html; charset=utf-8','content-encoding':'br','content-length':br.length,etag:'"x"'});s.end(br)}).listen(${port},'127.0.0.1',()=>console.log('up'))`,
    ],
    { env: { ...process.env, BODY: br.toString('base64') }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  try {
    return await load('bare node:http, same bytes', `http://127.0.0.1:${port}/`, { 'accept-encoding': 'br' });
  } finally {
    child.kill();
  }
}
