// Bundles the "Your time" script (your-time.ts, with the wording code it shares with the server) with
// esbuild once per process, minified, served at a content-hashed, same-origin URL (the strict CSP allows
// only 'self' scripts), as the push opt-in script is.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// From the sources (tsx) the entry is the .ts file; from the compiled build (dist/) the .js beside this one.
const COMPILED = !import.meta.url.endsWith('.ts');

export interface EventScript {
  path: string;
  body: Buffer;
}

let built: Promise<EventScript> | null = null;

export function yourTimeScript(): Promise<EventScript> {
  built ??= build({
    entryPoints: [fileURLToPath(new URL(COMPILED ? './your-time.js' : './your-time.ts', import.meta.url))],
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
    return { path: `/assets/live-events/${hash}/your-time.js`, body };
  });
  return built;
}
