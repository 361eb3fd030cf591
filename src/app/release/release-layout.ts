import { existsSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

/**
 * Releases side by side under one root (/opt/spectra-kiosk): releases/<version>/, a `current` link the
 * units run, and a `previous` link to the one before, for a rollback.
 */
export class ReleaseLayout {
  constructor(readonly root: string) {}

  get releasesDir(): string {
    return join(this.root, "releases");
  }

  #link(name: "current" | "previous"): string | null {
    try {
      return basename(readlinkSync(join(this.root, name)));
    } catch {
      return null;
    }
  }

  get current(): string | null {
    return this.#link("current");
  }

  get previous(): string | null {
    return this.#link("previous");
  }

  installed(): string[] {
    if (!existsSync(this.releasesDir)) return [];
    return readdirSync(this.releasesDir).filter((name) => !name.startsWith("."));
  }

  /** Points `name` at releases/<version> in one rename, so a unit never sees it missing. */
  #point(name: "current" | "previous", version: string): void {
    const temporary = join(this.root, `.${name}.new`);
    rmSync(temporary, { force: true });
    symlinkSync(join("releases", version), temporary);
    renameSync(temporary, join(this.root, name));
  }

  /** Makes `version` current and the one it replaces previous. */
  switchTo(version: string): void {
    if (!existsSync(join(this.releasesDir, version, "package.json"))) {
      throw new KioskError(
        ErrorCodes.RELEASE_NOT_INSTALLED,
        `Release ${version} is not under ${this.releasesDir}.`,
      );
    }
    const old = this.current;
    this.#point("current", version);
    if (old && old !== version) this.#point("previous", old);
  }
}
