// The wire desk in the newsroom admin: the review queue, the problems, the set-up (agencies and licences,
// routing rules, pollers) and personal API tokens for the wire API. Everything is the wire feature's own
// work (src/wire/), as on the command line and the HTTP API, with each change in the audit log under the
// staff member's name and allowed per site by wire.review (see wire/desk-scope.ts and each screen).
import { wireStaffDesk } from '../../wire/staff-desk.ts';
import type { AdminKit } from '../route-kit.tsx';
import { problemRoutes } from './problems.tsx';
import { queueRoutes } from './queue.tsx';
import { setupRoutes } from './setup.tsx';
import { WIRE_CSS } from './styles.ts';
import { tokenRoutes } from './tokens.tsx';

export function wireScreen(kit: AdminKit): void {
  const { desk, tokens } = wireStaffDesk(kit.rt);
  kit.nav.add({
    id: 'wire-queue',
    group: 'Newsroom',
    label: 'Wire queue',
    href: '/wire',
    cap: 'wire.review',
    order: 30,
  });
  kit.nav.add({
    id: 'wire-problems',
    group: 'Newsroom',
    label: 'Wire problems',
    href: '/wire/problems',
    cap: 'wire.review',
    order: 31,
  });
  kit.nav.add({
    id: 'wire-setup',
    group: 'Newsroom',
    label: 'Agencies & routing',
    href: '/wire/setup',
    cap: 'wire.review',
    order: 32,
  });
  kit.nav.add({
    id: 'api-tokens',
    group: 'You',
    label: 'API tokens',
    href: '/api-tokens',
    cap: 'wire.review',
    order: 20,
  });
  kit.assets.addCss(WIRE_CSS);
  queueRoutes(kit, desk);
  problemRoutes(kit, desk);
  setupRoutes(kit, desk);
  tokenRoutes(kit, tokens);
}
