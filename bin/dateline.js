#!/usr/bin/env node
// The `dateline` command. Runs the compiled build when there is one (npm run build), else the TypeScript
// sources through tsx, so `npm install && npm start` works without a build step.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
