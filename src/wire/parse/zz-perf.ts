import { parseXml } from './xml.ts';
import { parseWireDocument } from './index.ts';
for (const n of [2000, 4000, 8000]) {
  const doc = '<rss><channel>' + '<item><guid>g</guid><title>t</title><description>&lt;p&gt;x&lt;/p&gt;</description></item>'.repeat(n) + '</channel></rss>';
  let s = performance.now(); parseXml(doc, 'file:///x.xml'); const px = performance.now() - s;
  s = performance.now(); parseWireDocument(doc, { source: 'x.xml' }); console.log(n, 'parseXml', px.toFixed(0), 'total', (performance.now() - s).toFixed(0));
}
