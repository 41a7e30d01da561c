// Tables owned by the Staff screens: whom two-factor sign-in is required of beyond admins and owners (who
// always need it). Created by migration 0012_staff_two_factor_rule.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../../db/values.ts';

export interface StaffTwoFactorRulesTable {
  user_id: number;
  /** The audit actor who asked for it. */
  required_by: string;
  created_at: Generated<DbTimestamp>;
}

export interface StaffTables {
  staff_two_factor_rules: StaffTwoFactorRulesTable;
}
