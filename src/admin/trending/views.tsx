// The Trending screens: each site's "trending on our other sites" block as readers see it (the real block
// component, in the site's accent colour), which sites feed it, the editors' pins and exclusions, and the
// stories they can pin or exclude from what is trending on the feeding sites now.
import type { DatelineError } from '../../errors/catalogue.ts';
import type { Site } from '../../sites/site.ts';
import type { TrendingItem } from '../../trending/service.ts';
import { TrendingBlock } from '../../trending/views/trending-block.tsx';
import { ButtonForm, Choice, ChoiceGroup, Csrf, RefusedPanel } from '../sites/form-parts.tsx';
import { Field } from '../views/layout.tsx';

export type SourceMode = 'all' | 'chosen' | 'none';

export interface OverrideRow {
  articleId: number;
  action: 'pin' | 'exclude';
  position: number;
  headline: string | null;
  siteName: string | null;
}

export interface SiteTrending {
  site: Site;
  mode: SourceMode;
  /** The sites chosen when mode is 'chosen'. */
  chosen: number[];
  block: TrendingItem[];
  overrides: OverrideRow[];
  /** What is trending on each feeding site now, to pin or exclude from. */
  candidates: { site: Site; items: TrendingItem[] }[];
}

function sourcesText(t: SiteTrending, names: Map<number, string>): string {
  if (t.mode === 'all') return 'Every other site';
  if (t.mode === 'none') return 'No block';
  return t.chosen.map((id) => names.get(id) ?? `site ${id}`).join(', ') || 'No block';
}

/** The block as the site's readers see it, on a white page in the site's colours (see the theme sheet). */
export function BlockPreview(p: { t: SiteTrending; urlOf: (i: TrendingItem) => string }) {
  return (
    <div class="adm-reader-preview" data-site={String(p.t.site.id)}>
      {p.t.block.length === 0 ? (
        <p class="adm-preview-empty">No block: nothing to show from the feeding sites yet.</p>
      ) : (
        <TrendingBlock
          items={p.t.block}
          urlOf={p.urlOf}
          headingId={`trending-title-${p.t.site.id}`}
          landmark={false}
        />
      )}
    </div>
  );
}

export function TrendingOverview(p: {
  sites: SiteTrending[];
  names: Map<number, string>;
  themePath: string;
  urlOf: (i: TrendingItem) => string;
}) {
  return (
    <>
      <link rel="stylesheet" href={p.themePath} />
      <p class="adm-hint">
        Each site shows a block of stories trending on its sister sites after its articles. Open a site to
        choose its feeding sites, and to pin or exclude stories.
      </p>
      {p.sites.map((t) => (
        <section class="adm-panel" aria-labelledby={`trending-${t.site.id}`} key={t.site.id}>
          <div class="adm-section-head">
            <h2 id={`trending-${t.site.id}`}>{t.site.name}</h2>
            <a class="adm-button adm-button-quiet adm-button-small" href={`/trending/${t.site.id}`}>
              Manage<span class="adm-visually-hidden"> the block of {t.site.name}</span>
            </a>
          </div>
          <dl class="adm-kv">
            <dt>Fed by</dt>
            <dd>{sourcesText(t, p.names)}</dd>
            <dt>Pinned</dt>
            <dd>{t.overrides.filter((o) => o.action === 'pin').length}</dd>
            <dt>Excluded</dt>
            <dd>{t.overrides.filter((o) => o.action === 'exclude').length}</dd>
          </dl>
          <BlockPreview t={t} urlOf={p.urlOf} />
        </section>
      ))}
    </>
  );
}

export function SiteTrendingView(p: {
  t: SiteTrending;
  others: Site[];
  csrf: string;
  themePath: string;
  urlOf: (i: TrendingItem) => string;
  error?: DatelineError | null;
  articleProblem?: string;
  articleValue?: string;
}) {
  const { t } = p;
  const overrideOf = new Map(t.overrides.map((o) => [o.articleId, o]));
  return (
    <>
      <link rel="stylesheet" href={p.themePath} />
      <p class="adm-muted">
        <a href="/trending">All sites</a>
      </p>
      <RefusedPanel error={p.error} />
      <div class="adm-trending-grid">
        <section class="adm-panel" aria-labelledby="preview-title">
          <h2 class="adm-panel-title" id="preview-title">
            What readers see now
          </h2>
          <BlockPreview t={t} urlOf={p.urlOf} />
        </section>

        <form method="post" action={`/trending/${t.site.id}/sources`} class="adm-panel">
          <Csrf token={p.csrf} />
          <h2 class="adm-panel-title">Feeding sites</h2>
          <ChoiceGroup legend="Which sites feed the block" id="sources-mode">
            <Choice
              type="radio"
              name="mode"
              value="all"
              id="mode-all"
              label="Every other site (the default)"
              checked={t.mode === 'all'}
            />
            <Choice
              type="radio"
              name="mode"
              value="chosen"
              id="mode-chosen"
              label="Only the sites ticked below"
              checked={t.mode === 'chosen'}
            />
            <Choice
              type="radio"
              name="mode"
              value="none"
              id="mode-none"
              label="None: no block on this site"
              checked={t.mode === 'none'}
            />
          </ChoiceGroup>
          <ChoiceGroup
            legend="Sites"
            id="sources-from"
            hint="Used when “Only the sites ticked below” is chosen."
          >
            {p.others.map((s) => (
              <Choice
                type="checkbox"
                name="from"
                value={String(s.id)}
                id={`from-${s.id}`}
                label={s.name}
                checked={t.mode === 'chosen' && t.chosen.includes(s.id)}
                key={s.id}
              />
            ))}
          </ChoiceGroup>
          <button type="submit" class="adm-button">
            Save feeding sites
          </button>
        </form>
      </div>

      <section class="adm-panel" aria-labelledby="overrides-title">
        <h2 class="adm-panel-title" id="overrides-title">
          Pins and exclusions
        </h2>
        {t.overrides.length === 0 ? (
          <p class="adm-muted">None: the block is what readers read most.</p>
        ) : (
          <div class="adm-table-wrap adm-table-inner">
            <table class="adm-table adm-table-stack">
              <caption class="adm-visually-hidden">Pins and exclusions of the block of {t.site.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Story</th>
                  <th scope="col">Choice</th>
                  <th scope="col">
                    <span class="adm-visually-hidden">Undo</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {t.overrides.map((o) => (
                  <tr key={o.articleId}>
                    <td data-label="Story">
                      {o.headline ?? <span class="adm-muted">Story {o.articleId} (not live)</span>}
                      {o.siteName && <div class="adm-muted adm-small">{o.siteName}</div>}
                    </td>
                    <td data-label="Choice">
                      <span class={`adm-badge ${o.action === 'pin' ? 'adm-badge-ok' : 'adm-badge-bad'}`}>
                        {o.action === 'pin' ? `Pinned, place ${o.position + 1}` : 'Excluded'}
                      </span>
                    </td>
                    <td>
                      <ButtonForm
                        action={`/trending/${t.site.id}/stories/${o.articleId}/clear`}
                        csrf={p.csrf}
                        label={o.action === 'pin' ? 'Unpin' : 'Allow again'}
                        ariaLabel={`${o.action === 'pin' ? 'Unpin' : 'Allow again'}: ${o.headline ?? `story ${o.articleId}`}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form method="post" action={`/trending/${t.site.id}/stories`} class="adm-toolbar adm-pin-form">
          <Csrf token={p.csrf} />
          <Field
            name="article"
            label="Story number"
            value={p.articleValue ?? ''}
            inputMode="numeric"
            hint="From the story's address in the admin (/stories/123)."
            problem={p.articleProblem}
          />
          <button type="submit" name="action" value="pin" class="adm-button">
            Pin
          </button>
          <button type="submit" name="action" value="exclude" class="adm-button adm-button-quiet">
            Exclude
          </button>
        </form>
      </section>

      <section class="adm-panel" aria-labelledby="candidates-title">
        <h2 class="adm-panel-title" id="candidates-title">
          Trending on the feeding sites now
        </h2>
        {t.candidates.length === 0 && <p class="adm-muted">No feeding sites, so nothing to choose from.</p>}
        {t.candidates.map((c) => (
          <div key={c.site.id} class="adm-candidates">
            <h3>{c.site.name}</h3>
            {c.items.length === 0 ? (
              <p class="adm-muted">Nothing published there yet.</p>
            ) : (
              <ol class="adm-list-plain">
                {c.items.map((i) => {
                  const o = overrideOf.get(i.articleId);
                  return (
                    <li key={i.placementId} class="adm-candidate">
                      <span class="adm-candidate-title">{i.headline}</span>
                      <span class="adm-muted adm-small">{i.category}</span>
                      <span class="adm-actions">
                        {o ? (
                          <span class={`adm-badge ${o.action === 'pin' ? 'adm-badge-ok' : 'adm-badge-bad'}`}>
                            {o.action === 'pin' ? 'Pinned' : 'Excluded'}
                          </span>
                        ) : (
                          <>
                            <ButtonForm
                              action={`/trending/${t.site.id}/stories`}
                              csrf={p.csrf}
                              fields={{ article: String(i.articleId), action: 'pin' }}
                              label="Pin"
                              ariaLabel={`Pin: ${i.headline}`}
                            />
                            <ButtonForm
                              action={`/trending/${t.site.id}/stories`}
                              csrf={p.csrf}
                              fields={{ article: String(i.articleId), action: 'exclude' }}
                              label="Exclude"
                              ariaLabel={`Exclude: ${i.headline}`}
                            />
                          </>
                        )}
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        ))}
      </section>
    </>
  );
}

/**
 * The reader's look inside the preview box, whatever the admin's theme: white page, dark text, the reader
 * block's own rules (TRENDING_CSS is added beside these) and each site's accent from the theme sheet.
 */
export const TRENDING_ADMIN_CSS = `
.adm-reader-preview{background:#fff;color:#1b1b1b;border:1px solid var(--line);border-radius:6px;padding:.25rem 1rem 1rem;margin-top:.75rem;font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color-scheme:light}
.adm-reader-preview .trending{margin-top:.75rem}
.adm-reader-preview h2.block-title{font-size:1.05rem;margin:0 0 .75rem;text-transform:uppercase;letter-spacing:.04em;color:#1b1b1b}
.adm-reader-preview a{color:#1b1b1b}
.adm-reader-preview :focus-visible{outline-color:#c2410c}
.adm-preview-empty{color:#4a4a4a;margin:.75rem 0 0}
.adm-trending-grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(16rem,1fr);gap:1rem;align-items:start;margin:0 0 1rem}
.adm-trending-grid>.adm-panel{margin:0}
.adm-pin-form{margin-top:1rem}
.adm-candidates h3{font-size:1rem;margin:1rem 0 .4rem}
.adm-candidate{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;padding:.3rem 0;border-bottom:1px solid var(--line)}
.adm-candidate-title{flex:1 1 16rem;font-weight:600}
@media (max-width:960px){.adm-trending-grid{grid-template-columns:1fr}}
`;
