// `npm run test:mutation [name…]`: mutates each security- and cache-critical module listed in
// stryker.config.mjs on its own, runs only that module's tests against every mutant, and prints the share
// of mutants the tests killed, per module. Names (or parts of names) on the command line pick modules.
// Reports go to reports/mutation/<module>.html and .json (git-ignored).
import { Stryker } from '@stryker-mutator/core';
import config, { modules, testCommand } from '../stryker.config.mjs';

interface Score {
  name: string;
  killed: number;
  survived: number;
  timedOut: number;
  other: number;
  survivors: string[];
}

const picked = process.argv.slice(2).map((a) => a.toLowerCase());
const selected = picked.length
  ? modules.filter((m) => picked.some((p) => m.name.toLowerCase().includes(p)))
  : modules;
if (selected.length === 0) {
  console.error(`No module matches ${picked.join(', ')}. Modules: ${modules.map((m) => m.name).join('; ')}.`);
  process.exit(2);
}

const fileName = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
const scores: Score[] = [];
for (const m of selected) {
  const slug = fileName(m.name);
  const results = await new Stryker({
    ...config,
    configFile: 'stryker.config.mjs',
    mutate: m.mutate,
    commandRunner: { command: testCommand(m.tests) },
    reporters: ['html', 'json', 'progress'],
    htmlReporter: { fileName: `reports/mutation/${slug}.html` },
    jsonReporter: { fileName: `reports/mutation/${slug}.json` },
  }).runMutationTest();
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const score: Score = {
    name: m.name,
    killed: count('Killed'),
    timedOut: count('Timeout'),
    survived: count('Survived') + count('NoCoverage'),
    other: results.length - count('Killed') - count('Timeout') - count('Survived') - count('NoCoverage'),
    survivors: results
      .filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
      .map((r) => `${r.fileName}:${r.location.start.line} ${r.mutatorName}: ${r.replacement ?? ''}`),
  };
  scores.push(score);
  console.log(`\n${m.name}: ${percent(score)} killed`);
}

function percent(s: Score): string {
  const valid = s.killed + s.timedOut + s.survived;
  return valid === 0 ? 'no mutants' : `${((100 * (s.killed + s.timedOut)) / valid).toFixed(1)}%`;
}

console.log('\nMutation score per module (killed or timed out / valid mutants)\n');
console.log('| Module | Score | Killed | Timed out | Survived | Not run |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const s of scores) {
  console.log(`| ${s.name} | ${percent(s)} | ${s.killed} | ${s.timedOut} | ${s.survived} | ${s.other} |`);
}
for (const s of scores.filter((x) => x.survivors.length)) {
  console.log(`\nSurvivors in ${s.name}:`);
  for (const line of s.survivors) console.log(`  ${line.replace(/\s+/g, ' ').slice(0, 160)}`);
}
