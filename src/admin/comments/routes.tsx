// Comment moderation in the newsroom admin (menu group "Community", capability comments.moderate): the
// queues, one comment's page, a story's moderation view, members, and the settings (modes and word lists).
// Every change is made by rt.comments (src/comments/service.ts), which writes the audit log and raises the
// events that drop cached pages; these screens read with their own queries (queries.ts, member-queries.ts).
import { bundleAdminScript } from '../client/bundle.ts';
import type { AdminKit } from '../route-kit.tsx';
import { memberRoutes } from './member-routes.tsx';
import { queueRoutes } from './queue-routes.tsx';
import { settingsRoutes } from './settings-routes.tsx';
import { MODERATION_CSS } from './styles.ts';
import { threadRoutes } from './thread-routes.tsx';

export async function commentsScreen(kit: AdminKit): Promise<void> {
  kit.nav.add({
    id: 'comments',
    group: 'Community',
    label: 'Comments',
    href: '/comments',
    cap: 'comments.moderate',
    order: 10,
  });
  kit.nav.add({
    id: 'comment-members',
    group: 'Community',
    label: 'Members',
    href: '/comments/members',
    cap: 'comments.moderate',
    order: 11,
  });
  kit.nav.add({
    id: 'comment-settings',
    group: 'Community',
    label: 'Comment settings',
    href: '/comments/settings',
    cap: 'comments.moderate',
    order: 12,
  });
  kit.assets.addCss(MODERATION_CSS);
  kit.assets.add(
    'moderation.js',
    'text/javascript; charset=utf-8',
    await bundleAdminScript('comments/client/moderation.ts'),
  );
  memberRoutes(kit);
  settingsRoutes(kit);
  threadRoutes(kit);
  queueRoutes(kit);
}
