#!/usr/bin/env -S node --max-semi-space-size=2
// The `dateline` command. Runs the compiled build (`npm run build`) when it is at least as new as every
// source file; otherwise runs the TypeScript sources through tsx, so `npm install && npm start` works
// without a build step and a stale build is never used.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/src/cli/main.js`;
const stamp = `${root}dist/.tsbuildinfo`;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const fresh =
  existsSync(compiled) && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(`${root}src`);
if (fresh) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig (JSX for Preact) applies wherever the command is run from.
  register({ tsconfig: `${root}tsconfig.json` });
  await import(`${root}src/cli/main.ts`);
}
