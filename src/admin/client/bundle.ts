// Bundles the admin's client scripts with esbuild when the server starts, once per process: modern
// browsers only (ES2020 modules), minified, no source maps in the page.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const built = new Map<string, Promise<string>>();

/** The bundled, minified JavaScript of an entry module (a path relative to src/admin/). */
export function bundleAdminScript(entry: string): Promise<string> {
  let js = built.get(entry);
  if (!js) {
    js = build({
      entryPoints: [fileURLToPath(new URL(`../${entry}`, import.meta.url))],
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
