// Summarises a V8 .cpuprofile (node --cpu-prof; BENCH_CPU_PROF=dir for the mixed-load server) by self time:
// the functions the process spent its samples in, each with its file, and the share by file/package.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [TOP=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [TOP]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// Each sample names the node that was running; the gap to the next sample is its time.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const where = (cf) => {
  const url = cf.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:') || url === '') return url || '(native)';
  return url.replace(`${process.cwd()}/`, '');
};
const byFunction = new Map();
const byPlace = new Map();
for (const [id, us] of selfUs) {
  const cf = byId.get(id).callFrame;
  const place = where(cf);
  const key = `${cf.functionName || '(anonymous)'}  ${place}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1)}%`;
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(us).padStart(6)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
show('Self time by function', byFunction);
show('Self time by file or package', byPlace);
