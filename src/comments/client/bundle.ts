// Bundles the reader's comment script (client/thread.ts) with esbuild once per process, minified, and serves
// it at a content-hashed, same-origin URL (the strict CSP allows only 'self' scripts). Reader pages load
// this script alone: the admin's scripts are bundled separately (src/admin/client/) and never linked here.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// From the sources (tsx) the entry is the .ts file; from the compiled build (dist/) the .js beside this one.
const COMPILED = !import.meta.url.endsWith('.ts');

export interface ClientScript {
  path: string;
  body: Buffer;
}

let built: Promise<ClientScript> | null = null;

export function clientScript(): Promise<ClientScript> {
  built ??= build({
    entryPoints: [fileURLToPath(new URL(COMPILED ? './thread.js' : './thread.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((r) => {
    const body = Buffer.from(r.outputFiles[0]!.text);
    const hash = createHash('sha1').update(body).digest('hex').slice(0, 10);
    // Three segments, so it never meets the /assets/:hash/:name route.
    return { path: `/assets/comments/${hash}/thread.js`, body };
  });
  return built;
}
