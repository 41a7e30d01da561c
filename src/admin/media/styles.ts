// The media library's rules for the admin stylesheet: the picture grid, a picture's page with its focal
// point picker and crop previews, and the upload drop zone with one row per file. Colours come from the
// shell's variables, so light and dark themes and their contrast hold here too.
export const MEDIA_CSS = `
.media-toolbar{justify-content:space-between}
.media-toolbar form{margin:0}
.media-grid{list-style:none;margin:0;padding:0;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr))}
.media-card>.adm-badge{align-self:flex-start}
.media-page .adm-panel>h2:first-child{margin-top:0}
.media-card{display:flex;flex-direction:column;gap:.4rem;margin:0;padding:.6rem}
.media-card-link{display:flex;flex-direction:column;gap:.4rem;color:var(--ink);text-decoration:none}
.media-card-link:hover .media-card-caption{text-decoration:underline}
.media-card img,.media-crops img{display:block;width:100%;height:auto;border-radius:4px;background:var(--line)}
.media-card-caption{font-weight:600}
.media-card-credit{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.media-page{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
.media-page .media-preview{grid-row:span 3}
.media-focal{position:relative;display:inline-block;max-width:100%;line-height:0}
.media-focal img{max-width:100%;height:auto;border-radius:4px}
.media-focal.is-interactive{cursor:crosshair}
.media-focal-marker{position:absolute;width:28px;height:28px;margin:-14px 0 0 -14px;border:3px solid #fff;border-radius:50%;box-shadow:0 0 0 2px #000,inset 0 0 0 2px #000;pointer-events:none}
.media-crops{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(8rem,1fr));gap:.75rem}
.media-crops li{display:flex;flex-direction:column;gap:.25rem}
.media-sent dl,.media-facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
.media-sent dt,.media-facts dt{font-weight:600}
.media-sent dd,.media-facts dd{margin:0;overflow-wrap:anywhere}
.media-uses{margin:0;padding-left:1.2rem}
.media-uses li{margin:.25rem 0}
.media-drop{border:2px dashed var(--muted);border-radius:8px;padding:1rem;margin:0 0 1rem}
.media-drop.is-dragging{border-color:var(--accent);background:var(--bg)}
.media-drop input[type=file]{max-width:100%}
.media-upload-results{list-style:none;margin:0 0 1rem;padding:0}
.media-upload-item{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem .75rem;border:1px solid var(--line);border-radius:6px;margin:0 0 .5rem;background:var(--panel)}
.media-upload-item.is-ok{border-color:var(--ok-ink)}
.media-upload-item.is-problem{border-color:var(--bad-ink);background:var(--bad-bg);color:var(--bad-ink)}
.media-upload-name{font-weight:600;overflow-wrap:anywhere}
.media-upload-item progress{flex:1 1 8rem}
@media (max-width:48rem){.media-page{grid-template-columns:minmax(0,1fr)}.media-page .media-preview{grid-row:auto}}
`;
