// Comment settings: /comments/settings shows one site's mode, its sections' overrides and the word lists; the
// forms set the site's or a section's mode and add or remove words. A site's own settings need
// comments.moderate on it; the network-wide word list needs it network-wide.
import { DatelineError } from '../../errors/catalogue.ts';
import { ADMIN_NOTICES, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { allModeratedSites, backTo, CAP, idParam, moderator } from './shared.tsx';
import { policyPatch } from './thread-routes.tsx';
import { SettingsScreen } from './views/settings.tsx';

ADMIN_NOTICES.set('comment-word-added', 'Added: the word applies to comments posted from now on.');
ADMIN_NOTICES.set('comment-word-removed', 'Removed from the list.');

export function settingsRoutes(kit: AdminKit): void {
  const { rt } = kit;

  kit.page('/comments/settings', { cap: CAP }, async (req, reply, a) => {
    const sites = allModeratedSites(a);
    const wanted = Number(queryValue(req, 'site'));
    const ctx =
      sites.find((c) => c.site.id === wanted) ?? sites.find((c) => c.site.id === a.site?.site.id) ?? sites[0];
    if (!ctx) throw new DatelineError('FORBIDDEN', 'You moderate no site, so there are no settings to show.');
    const siteId = ctx.site.id;
    const [rows, siteWords, networkWords] = await Promise.all([
      rt.comments.policies(siteId),
      rt.comments.words.list(siteId),
      rt.comments.words.list(null),
    ]);
    const byScope = new Map(rows.map((r) => [r.scope, r]));
    return kit.render(
      req,
      reply,
      a,
      { title: 'Comment settings', current: 'comment-settings' },
      <SettingsScreen
        csrf={a.csrf}
        sites={sites.map((c) => ({ id: c.site.id, name: c.site.name }))}
        siteId={siteId}
        siteRow={byScope.get('site') ?? null}
        sections={[...ctx.sectionsById.values()]
          .sort((x, y) => x.position - y.position || x.id - y.id)
          .map((s) => ({ id: s.id, name: s.name, row: byScope.get(`section:${s.id}`) ?? null }))}
        siteWords={siteWords}
        networkWords={networkWords}
        canNetwork={a.can(CAP, null)}
      />,
    );
  });

  kit.action('/comments/settings/:siteId/site', { cap: CAP }, async (req, reply, a) => {
    const siteId = idParam(req.params, 'siteId');
    a.require(CAP, siteId);
    await rt.comments.setPolicy(moderator(a), siteId, 'site', policyPatch(req.body));
    return kit.seeOther(reply, `/comments/settings?site=${siteId}`, 'comment-policy-saved');
  });

  kit.action('/comments/settings/:siteId/section/:sectionId', { cap: CAP }, async (req, reply, a) => {
    const siteId = idParam(req.params, 'siteId');
    const sectionId = idParam(req.params, 'sectionId');
    a.require(CAP, siteId);
    if (!rt.directory.byIdOrUndefined(siteId)?.sectionsById.has(sectionId))
      throw new DatelineError(
        'NOT_FOUND',
        'That site has no such section (it may have been removed). Reload the settings.',
      );
    await rt.comments.setPolicy(moderator(a), siteId, `section:${sectionId}`, policyPatch(req.body));
    return kit.seeOther(reply, `/comments/settings?site=${siteId}`, 'comment-policy-saved');
  });

  kit.action('/comments/words', { cap: CAP }, async (req, reply, a) => {
    const where = formValue(req.body, 'siteId');
    const siteId = where === 'network' ? null : /^\d{1,12}$/.test(where) ? Number(where) : 0;
    if (siteId === 0)
      throw new DatelineError('BAD_REQUEST', 'Say which list the word goes on; nothing was added.', {
        field: 'siteId',
      });
    a.require(CAP, siteId);
    const kind = formValue(req.body, 'kind');
    if (kind !== 'banned' && kind !== 'suspect')
      throw new DatelineError(
        'COMMENT_WORD_INVALID',
        'Choose the banned or the suspect list; nothing was added.',
        { field: 'kind' },
      );
    await rt.comments.words.add(moderator(a), { siteId, kind, pattern: formValue(req.body, 'pattern') });
    return kit.seeOther(reply, backTo(req, '/comments/settings'), 'comment-word-added');
  });

  kit.action('/comments/words/:id/remove', { cap: CAP }, async (req, reply, a) => {
    const id = idParam(req.params);
    const row = id
      ? await rt.db.kysely
          .selectFrom('comment_words')
          .select(['id', 'site_id'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row)
      throw new DatelineError(
        'COMMENT_WORD_NOT_FOUND',
        'That word is no longer on the list. Reload the settings.',
      );
    a.require(CAP, row.site_id === null ? null : Number(row.site_id));
    await rt.comments.words.remove(moderator(a), id);
    return kit.seeOther(reply, backTo(req, '/comments/settings'), 'comment-word-removed');
  });
}
