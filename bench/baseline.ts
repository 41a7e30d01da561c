// Warm article throughput against an earlier commit, in the same run: the reader-design issue (#13) may not
// make the warm article page slower than it was before that work began. Comparing against a figure from an
// older bench file would compare two machines' moods, so both builds are measured here, side by side, on
// databases each built by its own seeder, with the load alternating between them (ABBA order) so that
// drift in the machine's load falls on both alike.
//
// Throughput on a machine shared with other work swings by a third from one ten-second round to the next,
// so each round also reads the server's own CPU time (/proc/<pid>/stat) and divides it by the requests it
// answered: CPU microseconds per request, the cost that sets the page's throughput when the cores are its
// own, and a figure that other load on the machine barely moves (seen: 78-86 µs for both builds while
// their req/s ranged 3,400-7,400). The target is judged on that cost; the req/s medians are reported too.
//
// The earlier tree comes from `git archive` (no worktree, nothing in .git changes), gets its own `npm ci`
// (its lockfile, not ours) and its own `npm run build`, and runs from its own dist/.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load, startServer } from './web.ts';

/** The parent of the first commit of the reader-design work (d936dd9, the contrast test committed failing). */
export const PRE_READER_DESIGN = '19cd8dd';

export interface BaselineComparison {
  commit: string;
  articlePath: { current: string; baseline: string };
  /** Requests per second of each round, in the order measured. */
  current: number[];
  baseline: number[];
  currentMedian: number;
  baselineMedian: number;
  /** current / baseline, from the req/s medians. */
  ratio: number;
  /** The server's CPU microseconds (user + system) per request answered, each round. */
  currentCpuMicros: number[];
  baselineCpuMicros: number[];
  currentCpuMedian: number;
  baselineCpuMedian: number;
  /** baseline / current CPU per request: above 1 means this build does more with a core. */
  cpuRatio: number;
}

/** User + system CPU time of a process, in microseconds (the kernel counts in clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count from ')'.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};

/** A tree's database, built by that tree's own seeder; returns the news site's host and its newest article. */
function seedWith(tree: string, dataDir: string, total: number): { host: string; path: string } {
  // The same calls in both trees (openRuntime, seedBenchNetwork, reader.sectionPage have kept their shapes).
  const script = `
    import pino from 'pino';
    import { loadConfig } from './src/config/config.ts';
    import { openRuntime } from './src/runtime.ts';
    import { seedBenchNetwork } from './bench/seed.ts';
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
    const rt = await openRuntime(config, pino({ level: 'silent' }));
    await seedBenchNetwork(rt, ${total}, () => {});
    const news = rt.directory.all().find((c) => c.site.slug === 'news');
    const section = news.sections[0];
    const newest = (await rt.reader.sectionPage(news, section.id, 1)).teasers[0];
    await rt.close();
    console.log(JSON.stringify({ host: news.site.hosts[0], path: '/' + section.slug + '/' + newest.slug }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: tree,
    env: { ...process.env, DATELINE_DATA_DIR: dataDir, DATABASE_URL: join(dataDir, 'dateline.db') },
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export async function compareWithBaseline(o: {
  commit: string;
  dir: string;
  total: number;
  seconds: number;
  rounds: number;
  port: number;
  log: (line: string) => void;
}): Promise<BaselineComparison> {
  const here = resolve('.');
  // BENCH_BASELINE_TREE: a tree of that commit unpacked, installed and built already (npm ci of an older
  // lockfile may compile native modules from source, which takes minutes on this machine).
  const given = process.env.BENCH_BASELINE_TREE;
  const tree = given ? resolve(given) : join(o.dir, 'baseline-tree');
  if (!given) {
    rmSync(tree, { recursive: true, force: true });
    mkdirSync(tree, { recursive: true });
    o.log(`Unpacking ${o.commit} with git archive, npm ci and npm run build in ${tree} …`);
    execSync(`git archive ${o.commit} | tar -x -C ${tree}`, {
      cwd: here,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    execSync('npm ci --no-audit --no-fund --loglevel=error', {
      cwd: tree,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    execSync('npm run build --silent', { cwd: tree, stdio: 'inherit' });
  } else o.log(`Using ${tree} as the build of ${o.commit} (BENCH_BASELINE_TREE) …`);
  if (!existsSync(join(tree, 'dist/src/cli/main.js')))
    throw new Error(`${tree} holds no dist/src/cli/main.js`);

  const dataNow = join(o.dir, 'compare-current');
  const dataThen = join(o.dir, 'compare-baseline');
  mkdirSync(dataNow, { recursive: true });
  mkdirSync(dataThen, { recursive: true });
  o.log(`Seeding ${o.total} stories with each tree's own seeder …`);
  const now = seedWith(here, dataNow, o.total);
  const then = seedWith(tree, dataThen, o.total);

  const envOf = (d: string) => ({ DATELINE_DATA_DIR: d, DATABASE_URL: join(d, 'dateline.db') });
  const current = await startServer(envOf(dataNow), now, o.port, [], here);
  const baseline = await startServer(envOf(dataThen), then, o.port + 1, [], tree);
  const headers = (host: string) => ({ host, 'accept-encoding': 'br, gzip' });
  const a: number[] = [];
  const b: number[] = [];
  const aCpu: number[] = [];
  const bCpu: number[] = [];
  try {
    // A short warm-up each, then ABBA rounds.
    await load('warm-up', `http://127.0.0.1:${o.port}${now.path}`, headers(now.host), { seconds: 2 });
    await load('warm-up', `http://127.0.0.1:${o.port + 1}${then.path}`, headers(then.host), { seconds: 2 });
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      for (const which of order) {
        const pid = (which === 'a' ? current : baseline).child.pid!;
        const cpuBefore = cpuMicros(pid);
        const f =
          which === 'a'
            ? await load('current', `http://127.0.0.1:${o.port}${now.path}`, headers(now.host), {
                seconds: o.seconds,
              })
            : await load('baseline', `http://127.0.0.1:${o.port + 1}${then.path}`, headers(then.host), {
                seconds: o.seconds,
              });
        if (f.errors || f.non2xx) throw new Error(`${f.name}: ${f.errors} errors, ${f.non2xx} non-2xx`);
        const perRequest = Math.round((cpuMicros(pid) - cpuBefore) / f.total);
        (which === 'a' ? a : b).push(f.rps);
        (which === 'a' ? aCpu : bCpu).push(perRequest);
        o.log(
          `round ${r + 1}: ${which === 'a' ? 'current ' : 'baseline'} ${f.rps} req/s, ${perRequest} µs CPU a request`,
        );
      }
    }
  } finally {
    await current.stop();
    await baseline.stop();
  }
  const currentMedian = median(a);
  const baselineMedian = median(b);
  const currentCpuMedian = median(aCpu);
  const baselineCpuMedian = median(bCpu);
  return {
    commit: o.commit,
    articlePath: { current: now.path, baseline: then.path },
    current: a,
    baseline: b,
    currentMedian,
    baselineMedian,
    ratio: Math.round((currentMedian / baselineMedian) * 1000) / 1000,
    currentCpuMicros: aCpu,
    baselineCpuMicros: bCpu,
    currentCpuMedian,
    baselineCpuMedian,
    cpuRatio: Math.round((baselineCpuMedian / currentCpuMedian) * 1000) / 1000,
  };
}
