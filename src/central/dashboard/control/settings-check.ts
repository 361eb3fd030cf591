/**
 * How central checks a desired configuration's settings before it signs and pushes them. The
 * kiosk's configuration schema decides; the app hands this in (src/config/managed-settings.ts), so
 * central never imports the kiosk's configuration.
 */
export interface ManagedSettingsCheck {
  /** The settings central may set, by dotted path: the editor's hint. */
  readonly paths: readonly string[];
  /** Every problem with these settings as `path: message` lines; none when they may be pushed. */
  problems(settings: Readonly<Record<string, unknown>>): string[];
}
