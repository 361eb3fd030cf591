import type { Clock } from "../../../core/clock.js";
import type { Logger } from "../../../core/logger.js";
import type { DashboardConfig } from "../../config.js";
import type { CentralDb } from "../../db/central-db.js";
import type { Session, SessionStore } from "../auth/sessions.js";
import type { SignInThrottle } from "../auth/sign-in-throttle.js";
import type { CommandKeyHolder } from "../control/command-key.js";
import type { CommandSender } from "../control/command-sender.js";
import type { ConfigPusher } from "../control/config-pusher.js";
import type { DeadLetterDesk } from "../control/dead-letter-desk.js";
import type { ManagedSettingsCheck } from "../control/settings-check.js";
import type { Reply } from "../http-kit.js";
import type { AlertCheck } from "../pages/alerts.js";
import type { Route } from "../router.js";
import type { Viewer } from "../view/layout.js";

/** Everything the handlers use, made once when the dashboard starts. */
export interface DashboardApp {
  readonly db: CentralDb;
  readonly config: DashboardConfig;
  readonly sessions: SessionStore;
  /** Sign-in attempts per user name. */
  readonly throttle: SignInThrottle;
  /** Sign-in attempts per client address, whatever the names tried. */
  readonly addressThrottle: SignInThrottle;
  readonly key: CommandKeyHolder;
  readonly commands: CommandSender;
  readonly configs: ConfigPusher;
  /** Replays and dismisses dead letters. */
  readonly deadLetters: DeadLetterDesk;
  /** The kiosk configuration's managed settings, as the app hands them in. */
  readonly settingsCheck: ManagedSettingsCheck;
  /** Whether and how often central checks the fleet for alerts (central.alerts), as pages explain it. */
  readonly alertCheck: AlertCheck;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** One request, as a handler sees it: POST forms have passed the CSRF check already. */
export interface RequestContext {
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** The form of a POST (its token already checked); null for GET. */
  readonly form: URLSearchParams | null;
  readonly cookies: ReadonlyMap<string, string>;
  /** Set on every "user" route; null on public ones when nobody is signed in. */
  readonly session: Session | null;
  readonly viewer: Viewer | null;
  /** Where the request came from, as sign-in throttling counts it (see client-address.ts). */
  readonly clientAddress: string;
}

export type Handler = (context: RequestContext) => Promise<Reply>;
export type DashboardRoute = Route<Handler>;

/** The viewer of a "user" route (the server guarantees one). */
export function viewerOf(context: RequestContext): Viewer {
  if (!context.viewer) throw new Error("a user route ran without a signed-in user");
  return context.viewer;
}

export const SESSION_COOKIE = "spectra_session";
export const SIGN_IN_COOKIE = "spectra_sign_in";
