// Bundles the admin's client scripts with esbuild when the server starts, once per process: modern
// browsers only (ES2020 modules), minified, no source maps in the page.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const built = new Map<string, Promise<string>>();

// Run from the sources (tsx) an entry is the .ts file named; from the compiled build (dist/, as
// `npm start` runs after `npm run build`) it is the .js that tsc wrote beside this module's own .js.
const COMPILED = !import.meta.url.endsWith('.ts');

/** The bundled, minified JavaScript of an entry module (a path relative to src/admin/, ending in .ts). */
export function bundleAdminScript(entry: string): Promise<string> {
  let js = built.get(entry);
  if (!js) {
    const file = COMPILED ? entry.replace(/\.ts$/, '.js') : entry;
    js = build({
      entryPoints: [fileURLToPath(new URL(`../${file}`, import.meta.url))],
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    }).then((r) => r.outputFiles[0]!.text);
    built.set(entry, js);
  }
  return js;
}
