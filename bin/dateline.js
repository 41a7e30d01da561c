#!/usr/bin/env node
// The `dateline` command. Runs the compiled build when there is one (npm run build), else the TypeScript
// sources through tsx, so `npm install && npm start` works without a build step.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  register('tsx/esm', import.meta.url);
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
