// The one stylesheet all sites share; each site's colours come from theme.css (web/theme.ts). Mobile first,
// system fonts, visible focus. Every colour is a token declared at the top, once for the light scheme and
// once for the dark one (prefers-color-scheme), so both keep AA contrast: text #1b1b1b on white, and light
// text on #121417 in the dark; links and buttons in the site's brand colour, which theme.css lightens for
// the dark page.
export const SITE_CSS = `
:root{color-scheme:light dark;--page:#fff;--surface:#f4f4f4;--text:#1b1b1b;--text-2:#3b3b3b;--text-3:#4a4a4a;--placeholder:#595959;--rule:#d0d0d0;--rule-strong:#1b1b1b;--cell-rule:#ccc;--field-border:#767676;--field-bg:#fff;--danger:#b3261e;--danger-bg:#b3261e;--mark:#fff2a8;--footer-bg:#1b1b1b;--footer-text:#f2f2f2;--shade:#0003;--page-clear:#fff0;--brand:#12355b;--accent:#b3261e;--on-brand:#fff;--font-serif:"Source Serif 4",Georgia,"Hiragino Mincho ProN","Yu Mincho","Noto Serif JP","Noto Serif CJK JP",serif;--font-sans:"Source Sans 3",system-ui,-apple-system,"Segoe UI",Roboto,"Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic",Meiryo,"Noto Sans JP","Noto Sans CJK JP",sans-serif}
/* Japanese pages put the Japanese faces before the system's Latin ones, so kana and kanji never come from a
   Latin UI font's own fallback; the Latin web fonts still set the Latin letters. */
:lang(ja){--font-serif:"Source Serif 4","Hiragino Mincho ProN","Yu Mincho","Noto Serif JP","Noto Serif CJK JP",serif;--font-sans:"Source Sans 3","Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic",Meiryo,"Noto Sans JP","Noto Sans CJK JP",system-ui,sans-serif}
@media screen and (prefers-color-scheme:dark){:root{--page:#121417;--surface:#1e2126;--text:#eceae6;--text-2:#d4d0ca;--text-3:#b7b2ab;--placeholder:#9c978f;--rule:#3b4047;--rule-strong:#8d929a;--cell-rule:#4a4f57;--field-border:#868c95;--field-bg:#1a1d21;--danger:#ff8f85;--mark:#574800;--footer-bg:#0b0c0e;--shade:#fff3;--page-clear:#12141700}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1.125rem/1.6 var(--font-sans);color:var(--text);background:var(--page);min-height:100vh;display:flex;flex-direction:column}
img{max-width:100%;height:auto;display:block}
h1,h2,h3,.masthead__name{font-family:var(--font-serif);font-weight:700}
h2.block-title{font-family:var(--font-sans)}
a{color:var(--brand)}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-9999px;top:0;background:var(--page);color:var(--text);padding:.5rem 1rem;z-index:10}
.skip:focus{left:0}
.masthead{background:var(--page);border-top:6px solid var(--brand)}
.masthead__bar{max-width:72rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}
.masthead__name{color:var(--brand);font-weight:800;font-size:1.6rem;text-decoration:none;letter-spacing:-.01em}
.masthead__logo{height:3rem;width:auto}
.masthead__tagline{order:2;flex:1 1 100%;margin:0;font-size:.9rem;color:var(--text-3)}
@media (min-width:48rem){.masthead__tagline{order:0;flex:0 1 auto}}
.sections{background:var(--page);border-top:1px solid var(--rule);border-bottom:1px solid var(--rule)}
.sections ul{max-width:72rem;margin:0 auto;padding:0 1rem;list-style:none;display:flex;gap:1.25rem;overflow-x:auto;white-space:nowrap;scrollbar-width:none;background:linear-gradient(to right,var(--page) 40%,var(--page-clear)) left/2.5rem 100% no-repeat local,linear-gradient(to left,var(--page) 40%,var(--page-clear)) right/2.5rem 100% no-repeat local,linear-gradient(to right,var(--shade),transparent) left/1.25rem 100% no-repeat scroll,linear-gradient(to left,var(--shade),transparent) right/1.25rem 100% no-repeat scroll,var(--page)}
.sections a{display:block;padding:.6rem 0;color:var(--text);text-decoration:none;font-weight:600;font-size:.95rem;border-bottom:3px solid transparent}
.sections a[aria-current=page],.sections a:hover{border-bottom-color:var(--accent)}
main{max-width:72rem;width:100%;margin:0 auto;padding:1rem;flex:1 0 auto}
main:focus{outline:none}
.site-footer{margin-top:3rem;background:var(--footer-bg);color:var(--footer-text);padding:2rem 1rem}
.site-footer ul{list-style:none;padding:0;margin:0 auto 1rem;max-width:72rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem}
.site-footer a{color:var(--footer-text)}
.site-footer :focus-visible{outline-color:var(--footer-text)}
.site-footer__copyright{max-width:72rem;margin:0 auto;font-size:.9rem}
.article{max-width:44rem;margin:0 auto}
.article__section{display:inline-block;text-transform:lowercase;font-weight:700;color:var(--accent);text-decoration:none;font-size:.9rem;letter-spacing:.03em}
.article h1{font-size:clamp(1.6rem,5vw,2.4rem);line-height:1.2;margin:.25rem 0 .75rem}
.article__dek{font-size:1.15rem;color:var(--text-2);margin:0 0 1rem}
.article__meta{font-size:.9rem;color:var(--text-3);margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.lead{margin:0 0 1.25rem}
.lead figcaption,.article__body figcaption{font-size:.85rem;color:var(--text-3);margin-top:.4rem;line-height:1.45}
/* A picture's credit, the lead's and those in the body (the editor writes them as <cite> in the caption):
   on a line of its own, a step smaller, upright (a browser sets <cite> in italics). */
.lead__credit,.article__body figcaption cite{display:block;margin-top:.15rem;font-size:.78rem;font-style:normal;letter-spacing:.01em}
.article__body figure{margin:1.5rem 0}
.article__dateline{font-weight:700;text-transform:uppercase}
.article__body p:first-child{margin-top:0}
.article__body blockquote{margin:1.25rem 0;padding-left:1rem;border-left:4px solid var(--accent);color:var(--text-2)}
.article__body table{border-collapse:collapse;width:100%}
.article__body td,.article__body th{border:1px solid var(--cell-rule);padding:.3rem .5rem}
.article__source-copyright{margin-top:1.5rem;font-size:.9rem;color:var(--text-2)}
.related{max-width:44rem;margin:2.5rem auto 0;border-top:2px solid var(--rule-strong);padding-top:1rem}
h2.block-title{font-size:1.15rem;margin:0 0 .75rem;text-transform:uppercase;letter-spacing:.04em}
.teasers{list-style:none;margin:0;padding:0;display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr))}
.teaser{display:flex;flex-direction:column;gap:.4rem}
.teaser h3{font-size:1.05rem;line-height:1.3;margin:0}
.teaser h2{font-size:1.2rem;line-height:1.3;margin:0}
.teaser :is(h2,h3) a{color:var(--text);text-decoration:none}
.teaser :is(h2,h3) a:hover{text-decoration:underline}
.teaser p{margin:0;font-size:.9rem;color:var(--text-3)}
.teaser__label{font-size:.8rem;font-weight:700;color:var(--accent);text-transform:lowercase}
.top-story h2{font-size:clamp(1.4rem,4vw,2rem);line-height:1.2;margin:.5rem 0}
.top-story h2 a{color:var(--text);text-decoration:none}
.home-block{margin-top:2.5rem}
.home-block h2 a{color:var(--text);text-decoration:none}
.pager{display:flex;justify-content:space-between;margin-top:2rem;font-weight:600}
.error-page{max-width:40rem;margin:2rem auto}
.directory{max-width:40rem;margin:2rem auto;font-family:system-ui,sans-serif}
@media (min-width:48rem){.top-story{display:grid;grid-template-columns:3fr 2fr;gap:1.5rem;align-items:start}}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important}}
/* The dark scheme: logos are drawn for a light page (often dark type on transparency), so they sit on a
   light plate; the footer, already dark, is set off from the page by a rule. */
@media screen and (prefers-color-scheme:dark){
.masthead__logo{background:#fff;border-radius:.35rem;padding:.2rem .45rem;height:3.4rem}
.site-footer{border-top:1px solid var(--rule)}
}
/* Printed articles: the story as a reader reads it (the site's name, picture with caption and credit,
   headline to the source's copyright line, and the site's copyright), without navigation, controls or
   related blocks; dark ink on white whatever the screen's scheme. Other features hide their own blocks. */
@media print{
@page{margin:1.6cm 1.8cm}
body{display:block;min-height:0;font-size:11pt;line-height:1.5;color:#000;background:#fff}
.skip,.sections,.site-footer nav,.related,.pager,form,button{display:none!important}
.masthead{border-top:0;border-bottom:1pt solid #000;margin-bottom:.4cm}
.masthead__bar{padding:0 0 .2cm;max-width:none}
.masthead__logo{height:1.1cm}
main{max-width:none;padding:0}
.article{max-width:none}
.article h1{font-size:22pt;break-after:avoid}
.article__section,.teaser__label{color:#000}
.article__dek,.article__meta,figcaption,.article__source-copyright{color:#000}
.lead{break-inside:avoid}
.lead img{max-height:11cm;width:auto}
.article__body a{color:#000}
.article__body a[href^="http"]::after{content:" (" attr(href) ")";font-size:9pt;overflow-wrap:anywhere}
.article__body :is(figure,blockquote,table,tr){break-inside:avoid}
.article__body :is(h2,h3){break-after:avoid}
.article__body p{orphans:3;widows:3}
.site-footer{margin-top:.6cm;padding:.2cm 0 0;background:none;color:#000;border-top:1pt solid #000}
.site-footer__copyright{max-width:none}
}
`;
