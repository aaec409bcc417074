/** What the route modules share: built once by `buildApp`. */
import type { Auth } from './auth';
import type { Faults } from './faults';
import type { Store } from './store/types';

export interface AppContext {
  store: Store;
  auth: Auth;
  now: () => number;
  publicUrl: string | undefined;
  /** The addresses the server listens on, for enrollment links (`enrollmentBase`). */
  serverUrls: readonly string[] | undefined;
  enrollCodeTtlMs: number;
  syncBodyLimitBytes: number;
  /** Sync requests taken at once (see SYNC_MAX_IN_FLIGHT in config.ts). */
  syncMaxInFlight: number;
  /** How long a sync body may take to arrive once it holds a place (SYNC_BODY_TIMEOUT_MS). */
  syncBodyTimeoutMs: number;
  /** Route-level rate-limit config of the enroll route (per IP), or `false`. */
  enrollRateLimit: false | { max: number; timeWindow: number };
  /** Test-only crash points (GATELOG_FAULTS); undefined on a real server. */
  faults: Faults | undefined;
}
