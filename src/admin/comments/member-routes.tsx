// Members: /comments/members (search by name or email), /comments/members/:id (record, sanctions, notes,
// comments), and the forms to warn, suspend, ban (on a site: comments.moderate there; on the network: held
// network-wide), lift a sanction and add a note. Every change is rt.comments' (audited there), which also
// mails a sanction's message to the member through the mail outbox.

import type { Sanction, SanctionKind } from '../../comments/model.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { memberById, memberComments, namesOf, searchMembers } from './member-queries.ts';
import { authorRecords } from './queries.ts';
import { allModeratedSites, backTo, CAP, idParam, moderator } from './shared.tsx';
import { MemberPage, MemberSearch } from './views/members.tsx';

ADMIN_NOTICES.set('member-warned', 'Warning recorded and mailed to the member.');
ADMIN_NOTICES.set(
  'member-suspended',
  'Suspended: the member cannot comment there until the date shown. They were mailed.',
);
ADMIN_NOTICES.set('member-banned', 'Banned: the member cannot comment there. They were mailed.');
ADMIN_NOTICES.set('sanction-lifted', 'Lifted: the member can comment again.');
ADMIN_NOTICES.set('member-note-added', 'Note added.');

const KINDS: readonly SanctionKind[] = ['warning', 'suspension', 'ban'];

export function memberRoutes(kit: AdminKit): void {
  const { rt } = kit;
  const zoneOf = (a: AdminContext) =>
    a.site?.site.timeZone ?? allModeratedSites(a)[0]?.site.timeZone ?? 'UTC';
  const siteName = (id: number | null) =>
    id === null ? 'the whole network' : (rt.directory.byIdOrUndefined(id)?.site.name ?? `site ${id}`);

  async function member(id: number) {
    const m = id ? await memberById(rt.db, id) : null;
    if (!m)
      throw new DatelineError(
        'NOT_FOUND',
        'There is no such member (the account may have been deleted). Search again.',
      );
    return m;
  }

  kit.page('/comments/members', { cap: CAP }, async (req, reply, a) => {
    const q = queryValue(req, 'q').trim().slice(0, 100);
    const hits = await searchMembers(rt.db, q);
    const records = await authorRecords(
      rt.db,
      hits.map((h) => h.id),
      new Date(),
    );
    return kit.render(
      req,
      reply,
      a,
      { title: 'Members', current: 'comment-members' },
      <MemberSearch q={q} hits={hits} records={records} zone={zoneOf(a)} />,
    );
  });

  kit.page('/comments/members/:id', { cap: CAP }, async (req, reply, a) => {
    const m = await member(idParam(req.params));
    const sites = allModeratedSites(a);
    const afterRaw = queryValue(req, 'after');
    const after = /^\d{1,12}$/.test(afterRaw) ? Number(afterRaw) : null;
    const [history, page] = await Promise.all([
      rt.comments.memberHistory(m.id),
      memberComments(rt.db, { userId: m.id, siteIds: sites.map((c) => c.site.id), after, limit: 30 }),
    ]);
    const names = await namesOf(rt.db, [
      ...history.sanctions.flatMap((s) => [s.createdBy, s.liftedBy]),
      ...history.notes.map((n) => n.authorId),
      ...page.items.map((c) => c.reviewedBy),
    ]);
    return kit.render(
      req,
      reply,
      a,
      { title: `Member: ${m.name}`, current: 'comment-members' },
      <MemberPage
        m={m}
        history={history}
        names={names}
        comments={page.items}
        nextHref={page.next ? `/comments/members/${m.id}?after=${page.next}` : null}
        csrf={a.csrf}
        zone={zoneOf(a)}
        sites={sites.map((c) => ({ id: c.site.id, name: c.site.name }))}
        canNetwork={a.can(CAP, null)}
        siteName={siteName}
        mayLift={(s: Sanction) => a.can(CAP, s.siteId)}
        now={new Date()}
      />,
    );
  });

  kit.action('/comments/members/:id/sanctions', { cap: CAP }, async (req, reply, a) => {
    const m = await member(idParam(req.params));
    const where = formValue(req.body, 'where');
    const siteId = where === 'network' ? null : /^\d{1,12}$/.test(where) ? Number(where) : 0;
    if (siteId === 0)
      throw new DatelineError(
        'SANCTION_INVALID',
        'Choose a site or the whole network; nothing was changed.',
        { field: 'where' },
      );
    a.require(CAP, siteId);
    const kind = formValue(req.body, 'kind') as SanctionKind;
    if (!KINDS.includes(kind))
      throw new DatelineError('SANCTION_INVALID', 'Choose Warn, Suspend or Ban; nothing was changed.', {
        field: 'kind',
      });
    const daysRaw = formValue(req.body, 'days').trim();
    if (daysRaw !== '' && (!/^\d{1,3}$/.test(daysRaw) || Number(daysRaw) < 1 || Number(daysRaw) > 365))
      throw new DatelineError(
        'SANCTION_INVALID',
        'Give the number of days as a whole number from 1 to 365; nothing was changed.',
        {
          field: 'days',
        },
      );
    if (kind === 'suspension' && daysRaw === '')
      throw new DatelineError(
        'SANCTION_INVALID',
        'Say for how many days the member is suspended; nothing was changed.',
        { field: 'days' },
      );
    const endsAt =
      daysRaw !== '' && kind !== 'warning' ? new Date(Date.now() + Number(daysRaw) * 86_400_000) : null;
    const message = formValue(req.body, 'message').trim().slice(0, 1000);
    await rt.comments.sanction(moderator(a), m.id, {
      kind,
      siteId,
      message,
      endsAt,
      rejectExisting: formValue(req.body, 'rejectExisting') === '1',
    });
    return kit.seeOther(
      reply,
      backTo(req, `/comments/members/${m.id}`),
      kind === 'warning' ? 'member-warned' : kind === 'suspension' ? 'member-suspended' : 'member-banned',
    );
  });

  kit.action('/comments/sanctions/:id/lift', { cap: CAP }, async (req, reply, a) => {
    const id = idParam(req.params);
    const row = id
      ? await rt.db.kysely
          .selectFrom('member_sanctions')
          .select(['id', 'site_id', 'user_id'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row)
      throw new DatelineError(
        'SANCTION_NOT_FOUND',
        'There is no such sanction (it may have gone with the account). Reload the page.',
      );
    a.require(CAP, row.site_id === null ? null : Number(row.site_id));
    await rt.comments.lift(moderator(a), id);
    return kit.seeOther(reply, backTo(req, `/comments/members/${row.user_id}`), 'sanction-lifted');
  });

  kit.action('/comments/members/:id/notes', { cap: CAP }, async (req, reply, a) => {
    const m = await member(idParam(req.params));
    await rt.comments.addMemberNote(moderator(a), m.id, formValue(req.body, 'body').trim().slice(0, 2000));
    return kit.seeOther(reply, backTo(req, `/comments/members/${m.id}`), 'member-note-added');
  });
}
