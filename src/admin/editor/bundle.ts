// Builds the editor screen's script from client/editor.ts with esbuild, in memory, when the server starts:
// one minified ES module (ProseMirror included) and the editor's stylesheet, for the admin to serve as
// files. Bundling at start keeps the repository free of built artefacts and the script always in step with
// the sources; it takes well under a second. The bundle must stay within the editor screen's budget of
// 150 KB gzipped (bundle.test.ts checks it).
import { fileURLToPath } from 'node:url';
import { EDITOR_CSS } from './styles.ts';

export interface EditorBundle {
  js: string;
  css: string;
}

// Run from the sources (tsx) the entry is editor.ts; from the compiled build it is the editor.js beside
// this module's own .js.
const EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const ENTRY = fileURLToPath(new URL(`./client/editor${EXTENSION}`, import.meta.url));

let built: Promise<EditorBundle> | null = null;

/** The bundle, built once per process (the server at start, the bench, tests share it). */
export function buildEditorBundle(): Promise<EditorBundle> {
  built ??= bundle();
  // A failed build is not kept: the next call tries again.
  built.catch(() => {
    built = null;
  });
  return built;
}

async function bundle(): Promise<EditorBundle> {
  // Loaded on demand: only a server that serves the admin needs esbuild in memory.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no editor bundle');
  return { js: output.text, css: EDITOR_CSS };
}
