import { readFileSync } from 'node:fs';
import { parseWireDocument } from './index.ts';
const dir = new URL('../fixtures/', import.meta.url).pathname;
for (const f of process.argv.slice(2)) {
  const r = parseWireDocument(readFileSync(dir + f), { source: dir + f });
  console.log('=====', f);
  console.dir({ items: r.items, problems: r.problems.map(p => [p.item, p.field, p.code, p.severity, p.message.slice(p.file.length)]) }, { depth: 6 });
}
