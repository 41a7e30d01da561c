import { parseWireDocument } from './index.ts';
const t = (label: string, doc: string) => { const s = performance.now(); const r = parseWireDocument(doc, { source: 'x.xml' }); console.log(label, (performance.now() - s).toFixed(0), 'ms', r.items.length, r.problems.map(p => p.code + ' ' + p.message.slice(0, 120))); };
t('deep', '<rss>' + '<a>'.repeat(200000) + '</a>'.repeat(200000) + '</rss>');
t('many attrs', '<rss><channel><item ' + Array.from({length: 100000}, (_, i) => `a${i}="x"`).join(' ') + '><guid>g</guid><title>t</title></item></channel></rss>');
t('many items', '<rss><channel>' + '<item><guid>g</guid><title>t</title><description>&lt;p&gt;x&lt;/p&gt;</description></item>'.repeat(20000) + '</channel></rss>');
t('open lt', '<rss><channel><item><guid>g</guid><title>' + '<'.repeat(100000) + '</title></item></channel></rss>');
t('long text', '<rss><channel><item><guid>g</guid><title>' + 'a '.repeat(2000000) + '</title></item></channel></rss>');
t('cdata many', '<rss><channel><item><guid>g</guid><title>' + '<![CDATA[x]]>'.repeat(100000) + '</title></item></channel></rss>');
const s = performance.now(); const r = parseWireDocument(JSON.stringify(Array.from({length: 20000}, (_, i) => ({uri: 'u'+i, headline: 'h <b>x</b>', body_html: '<p>x</p>'}))), { source: 'x.json' }); console.log('json batch', (performance.now()-s).toFixed(0), r.items.length);
