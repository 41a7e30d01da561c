// A reader page's own script, bundled from its TypeScript source with esbuild once per process, minified,
// and served at a content-hashed, same-origin URL (the strict CSP allows only 'self' scripts). Features with
// a script on reader pages (comments, the push opt-in, events' "Your time") each declare theirs here
// instead of keeping a copy of the build. The admin's scripts are bundled separately (src/admin/client/).
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// From the sources (tsx) the entry is the .ts file; from the compiled build (dist/) the .js beside it.
const COMPILED = !import.meta.url.endsWith('.ts');

export interface ReaderScript {
  /** Three segments, /assets/<feature>/<hash>/<name>.js, so it never meets the /assets/:hash/:name route. */
  path: string;
  body: Buffer;
}

/**
 * The script `<name>.ts` beside the module at `besideUrl` (its import.meta.url), served under `feature`.
 * Returns a function that builds it on first call and gives the same bundle after.
 */
export function readerScript(besideUrl: string, name: string, feature: string): () => Promise<ReaderScript> {
  let built: Promise<ReaderScript> | null = null;
  return () => {
    built ??= build({
      entryPoints: [fileURLToPath(new URL(`./${name}.${COMPILED ? 'js' : 'ts'}`, besideUrl))],
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
      return { path: `/assets/${feature}/${hash}/${name}.js`, body };
    });
    return built;
  };
}
