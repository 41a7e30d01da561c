// Every admin screen, in menu order within its group. A feature adds one line here: its function registers
// its routes and menu entries through the kit (route-kit.tsx).
import { auditScreen } from './audit/routes.tsx';
import { commentsScreen } from './comments/routes.tsx';
import { dashboardScreen } from './dashboard/routes.tsx';
import { frontPageScreen } from './front-page/routes.tsx';
import { integrationsScreen } from './integrations/routes.tsx';
import { mediaScreen } from './media/routes.tsx';
import { newslettersScreen } from './newsletters/routes.tsx';
import type { AdminKit } from './route-kit.tsx';
import { securityScreen } from './security/routes.tsx';
import { sitesScreen } from './sites/routes.tsx';
import { staffScreen } from './staff/routes.tsx';
import { storiesScreen } from './stories/routes.tsx';
import { subscribersScreen } from './subscribers/routes.tsx';
import { trendingScreen } from './trending/routes.tsx';
import { wireScreen } from './wire/routes.tsx';

export type AdminScreen = (kit: AdminKit) => void | Promise<void>;

export const ADMIN_SCREENS: AdminScreen[] = [
  dashboardScreen,
  mediaScreen,
  securityScreen,
  sitesScreen,
  staffScreen,
  trendingScreen,
  integrationsScreen,
  auditScreen,
  storiesScreen,
  wireScreen,
  commentsScreen,
  frontPageScreen,
  newslettersScreen,
  subscribersScreen,
];
