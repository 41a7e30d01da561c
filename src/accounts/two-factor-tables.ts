// Tables owned by staff two-factor sign-in (two-factor.ts): TOTP secrets, recovery codes, passkeys and the
// passkey ceremonies' challenges. Created by migration 0007_two_factor.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface TwoFactorTotpTable {
  user_id: number;
  /** The confirmed secret, AES-256-GCM under a key derived from the server's signing key; null until confirmed. */
  secret_enc: string | null;
  confirmed_at: DbTimestamp | null;
  /** The last 30-second step a code was accepted for; a code of that step or an earlier one is refused. */
  last_time_step: number | null;
  last_used_at: DbTimestamp | null;
  /** A secret shown for enrolment and not yet confirmed with a code. */
  pending_secret_enc: string | null;
  pending_started_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
}

export interface TwoFactorRecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the normalised code; the code itself is shown once and never stored. */
  code_hash: string;
  used_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
}

export interface PasskeysTable {
  id: Generated<number>;
  user_id: number;
  /** base64url, as WebAuthn names the credential. */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of the transports the browser reported (usb, nfc, ble, internal, hybrid). */
  transports: string;
  name: string;
  /** singleDevice or multiDevice (a synced passkey). */
  device_type: string;
  backed_up: number;
  created_at: Generated<DbTimestamp>;
  last_used_at: DbTimestamp | null;
}

export type PasskeyCeremony = 'register' | 'sign_in';

export interface PasskeyChallengesTable {
  id: Generated<number>;
  user_id: number;
  ceremony: PasskeyCeremony;
  /** SHA-256 of the challenge the browser signs; the challenge comes back inside clientDataJSON. */
  challenge_hash: string;
  expires_at: DbTimestamp;
  used_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
}

export interface TwoFactorTables {
  two_factor_totp: TwoFactorTotpTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
}
