// The trending and most-read blocks' rules as one string, for pages outside the reader stylesheet that show
// the block (the admin's trending preview). The rules live in trending.css, which the reader stylesheet
// imports; here they come with the light tokens they use set on the blocks themselves, since such pages do
// not load the reader's tokens.
import { readFileSync } from 'node:fs';
import { sourceFile } from '../../web/stylesheet.ts';

const BLOCK_TOKENS =
  '.trending,.most-read{--text:#1b1b1b;--text-3:#4a4a4a;--rule-strong:#1b1b1b;--column:44rem}\n';

export const TRENDING_CSS =
  BLOCK_TOKENS + readFileSync(sourceFile(import.meta.url, './trending.css'), 'utf8');
