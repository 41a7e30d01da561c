// The admin's static files: one stylesheet made of the shell's rules and each screen's, and client scripts
// (small ones per screen, the editor's bundle on the editor screen only), each at a content-hashed URL on the
// admin host and cached for a year. None of them is ever linked from a reader page.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  hash: string;
}

export class AdminAssets {
  private readonly files = new Map<string, Asset>();
  private readonly cssParts: string[] = [];
  private css: Asset | null = null;

  /** Adds rules to the admin stylesheet; only while screens register, before the first page is served. */
  addCss(rules: string): void {
    if (this.css) throw new Error('Admin styles are added after the stylesheet was made.');
    this.cssParts.push(rules);
  }

  /** Adds a file (a bundled script, a picture) under its name. */
  add(name: string, type: string, body: string | Buffer): void {
    this.files.set(name, asset(type, body));
  }

  /** The URL of a file; the stylesheet is `admin.css`. */
  path(name: string): string {
    const f = this.get(name);
    if (!f) throw new Error(`No admin asset named ${name}.`);
    return `/admin-assets/${f.hash}/${name}`;
  }

  get(name: string): Asset | undefined {
    if (name === 'admin.css') {
      this.css ??= asset('text/css; charset=utf-8', this.cssParts.join('\n'));
      return this.css;
    }
    return this.files.get(name);
  }
}

function asset(type: string, body: string | Buffer): Asset {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    body: buf,
    gzip: gzipSync(buf, { level: 9 }),
    type,
    hash: createHash('sha1').update(buf).digest('hex').slice(0, 10),
  };
}
