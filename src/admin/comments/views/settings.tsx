// The comment settings of a site (/comments/settings): its mode, each section's override, and the word
// lists (the site's own and the network's), with the wildcard rules in words a moderator can follow.
import type { PolicyRow, WordEntry } from '../../../comments/model.ts';
import { Hidden } from './parts.tsx';

export const MODE_LABELS: Record<string, string> = {
  post: 'Post-moderation: comments appear at once, moderators review after',
  pre: 'Pre-moderation: every comment waits for a moderator',
  pre_new: 'Pre-moderation for new members, until N of their comments are approved',
  closed: 'Closed: no new comments',
};

/** Mode, N approvals and closing age; empty means "as the wider scope says". */
export function PolicyFields({
  row,
  inherit,
  idPrefix,
}: {
  row: PolicyRow | null;
  inherit: string;
  idPrefix: string;
}) {
  const id = (n: string) => `${idPrefix}-${n}`;
  return (
    <div class="mod-policy">
      <div class="adm-field">
        <label for={id('mode')}>Mode</label>
        <select id={id('mode')} name="mode">
          <option value="">As {inherit}</option>
          {Object.entries(MODE_LABELS).map(([v, label]) => (
            <option value={v} selected={row?.mode === v} key={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="adm-field">
        <label for={id('approvals')}>N approved comments (new members)</label>
        <input
          id={id('approvals')}
          name="newMemberApprovals"
          inputMode="numeric"
          value={
            row?.newMemberApprovals === null || row?.newMemberApprovals === undefined
              ? ''
              : String(row.newMemberApprovals)
          }
          aria-describedby={id('approvals-hint')}
        />
        <p class="adm-hint" id={id('approvals-hint')}>
          {inherit.startsWith('the default') ? 'Empty: the default, 2.' : `Empty: as ${inherit} (default 2).`}
        </p>
      </div>
      <div class="adm-field">
        <label for={id('days')}>Close threads after N days</label>
        <input
          id={id('days')}
          name="closeAfterDays"
          inputMode="numeric"
          value={
            row?.closeAfterDays === null || row?.closeAfterDays === undefined
              ? ''
              : String(row.closeAfterDays)
          }
          aria-describedby={id('days-hint')}
        />
        <p class="adm-hint" id={id('days-hint')}>
          Days after the story is published; 0: never.{' '}
          {inherit.startsWith('the default')
            ? 'Empty: the default, 14.'
            : `Empty: as ${inherit} (default 14).`}
        </p>
      </div>
    </div>
  );
}

export interface SettingsProps {
  csrf: string;
  sites: { id: number; name: string }[];
  siteId: number;
  siteRow: PolicyRow | null;
  sections: { id: number; name: string; row: PolicyRow | null }[];
  siteWords: WordEntry[];
  networkWords: WordEntry[];
  /** Network-wide words need a network-wide moderator. */
  canNetwork: boolean;
}

function WordList({
  title,
  words,
  csrf,
  siteId,
  editable,
  next,
}: {
  title: string;
  words: WordEntry[];
  csrf: string;
  siteId: number | null;
  editable: boolean;
  next: string;
}) {
  const kinds = [
    { kind: 'banned', label: 'Banned (rejected at once, the author is told why)' },
    { kind: 'suspect', label: 'Suspect (held for review)' },
  ] as const;
  const key = siteId === null ? 'network' : `site-${siteId}`;
  return (
    <section class="adm-panel mod-panel" aria-labelledby={`${key}-h`}>
      <h2 id={`${key}-h`}>{title}</h2>
      {kinds.map(({ kind, label }) => {
        const list = words.filter((w) => w.kind === kind);
        return (
          <div key={kind} class="mod-words">
            <h3>{label}</h3>
            {list.length === 0 ? (
              <p class="adm-muted">None.</p>
            ) : (
              <ul class="mod-word-list">
                {list.map((w) => (
                  <li key={w.id}>
                    <code>{w.pattern}</code>
                    {editable && (
                      <form method="post" action={`/comments/words/${w.id}/remove`} class="mod-inline">
                        <Hidden csrf={csrf} next={next} />
                        <button type="submit" class="adm-link-button">
                          Remove<span class="mod-sr"> {w.pattern}</span>
                        </button>
                      </form>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      {editable && (
        <form method="post" action="/comments/words" class="mod-word-add">
          <Hidden csrf={csrf} next={next} />
          <input type="hidden" name="siteId" value={siteId === null ? 'network' : String(siteId)} />
          <div class="adm-field">
            <label for={`${key}-pattern`}>Word or phrase</label>
            <input
              id={`${key}-pattern`}
              name="pattern"
              maxLength={100}
              required
              aria-describedby="words-help"
            />
          </div>
          <div class="adm-field">
            <label for={`${key}-kind`}>List</label>
            <select id={`${key}-kind`} name="kind">
              <option value="banned">Banned</option>
              <option value="suspect">Suspect</option>
            </select>
          </div>
          <button type="submit" class="adm-button">
            Add
          </button>
        </form>
      )}
    </section>
  );
}

export function SettingsScreen(p: SettingsProps) {
  const next = `/comments/settings?site=${p.siteId}`;
  const siteName = p.sites.find((s) => s.id === p.siteId)?.name ?? '';
  return (
    <>
      {p.sites.length > 1 && (
        <form method="get" action="/comments/settings" class="adm-toolbar">
          <div class="adm-field">
            <label for="settings-site">Site</label>
            <select id="settings-site" name="site" data-autosubmit="">
              {p.sites.map((s) => (
                <option value={String(s.id)} selected={s.id === p.siteId} key={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="adm-button adm-button-quiet">
            Show
          </button>
        </form>
      )}
      <section class="adm-panel mod-panel" aria-labelledby="mode-h">
        <h2 id="mode-h">Mode on {siteName}</h2>
        <form method="post" action={`/comments/settings/${p.siteId}/site`}>
          <Hidden csrf={p.csrf} next={next} />
          <PolicyFields row={p.siteRow} inherit="the default (post-moderation)" idPrefix="site" />
          <button type="submit" class="adm-button">
            Save the site's mode
          </button>
        </form>
      </section>
      <section class="adm-panel mod-panel" aria-labelledby="sections-h">
        <h2 id="sections-h">Sections</h2>
        <p class="adm-hint">
          A section's mode applies to its stories unless a story has its own (set on the story's moderation
          view).
        </p>
        {p.sections.map((s) => (
          <details key={s.id} class="mod-section-policy" open={s.row !== null}>
            <summary>
              {s.name}
              {s.row?.mode ? ` — ${MODE_LABELS[s.row.mode]?.split(':')[0] ?? s.row.mode}` : ' — as the site'}
            </summary>
            <form method="post" action={`/comments/settings/${p.siteId}/section/${s.id}`}>
              <Hidden csrf={p.csrf} next={next} />
              <PolicyFields row={s.row} inherit="the site" idPrefix={`section-${s.id}`} />
              <button type="submit" class="adm-button">
                Save {s.name}
              </button>
            </form>
          </details>
        ))}
      </section>
      <p class="adm-panel adm-hint mod-help" id="words-help">
        Words match whole words whatever the case, width, accents or look-alike letters (“ｂａｄ”, “b4d” and
        “bad” are the same word). <code>*</code> stands for any letters or digits inside a word, none too:{' '}
        <code>spam*</code> matches “spam”, “spammer” and “spamming”; <code>*bot</code> matches “robot”.
        Japanese, Chinese, Korean and Thai words match wherever they appear in the text, so choose a longer
        pattern for fewer hits. Banned words are refused as the author posts; suspect words hold the comment
        in Pending.
      </p>
      <WordList
        title={`Words on ${siteName}`}
        words={p.siteWords}
        csrf={p.csrf}
        siteId={p.siteId}
        editable
        next={next}
      />
      <WordList
        title="Words on every site of the network"
        words={p.networkWords}
        csrf={p.csrf}
        siteId={null}
        editable={p.canNetwork}
        next={next}
      />
    </>
  );
}
