import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, verify } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

/** A release file as `npm run release` names it: spectra-kiosk-<version>-linux-<arch>.tar.gz. */
const RELEASE_NAME = /^spectra-kiosk-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)-linux-(x64|arm64)\.tar\.gz$/;

export interface VerifiedRelease {
  readonly file: string;
  readonly version: string;
  readonly arch: string;
  readonly sha256: string;
}

function readBeside(file: string, suffix: string): Buffer {
  try {
    return readFileSync(`${file}${suffix}`);
  } catch {
    throw new KioskError(
      ErrorCodes.RELEASE_UNSIGNED,
      `${basename(file)}${suffix} is missing: a release comes with its checksum and the release key's signature.`,
      { file: basename(file) },
    );
  }
}

/**
 * Checks a release before anything of it is unpacked: the release key's Ed25519 signature over its
 * checksum file, the checksum over the file, and that it is for this machine's architecture.
 */
export function verifyRelease(
  file: string,
  releaseKeyPem: string,
  arch: string = process.arch,
): VerifiedRelease {
  const match = RELEASE_NAME.exec(basename(file));
  if (!match?.[1] || !match[2]) {
    throw new KioskError(
      ErrorCodes.RELEASE_INVALID,
      `${basename(file)} is not named like a release (spectra-kiosk-VERSION-linux-ARCH.tar.gz).`,
    );
  }
  const sums = readBeside(file, ".sha256");
  const signature = Buffer.from(readBeside(file, ".sha256.sig").toString("utf8").trim(), "base64");
  let good = false;
  try {
    good = verify(null, sums, createPublicKey(releaseKeyPem), signature);
  } catch (error) {
    throw new KioskError(
      ErrorCodes.RELEASE_BAD_SIGNATURE,
      `The release key cannot check the signature: ${(error as Error).message}`,
    );
  }
  if (!good) {
    throw new KioskError(
      ErrorCodes.RELEASE_BAD_SIGNATURE,
      `${basename(file)}: the checksum is not signed by this kiosk's release key; nothing was installed.`,
      { file: basename(file) },
    );
  }
  const [expected, named] = sums.toString("utf8").trim().split(/\s+/);
  const actual = createHash("sha256").update(readFileSync(file)).digest("hex");
  if (named !== basename(file) || expected !== actual) {
    throw new KioskError(
      ErrorCodes.RELEASE_CHECKSUM_MISMATCH,
      `${basename(file)} does not match its signed checksum (damaged or replaced); nothing was installed.`,
      { file: basename(file) },
    );
  }
  if (match[2] !== arch) {
    throw new KioskError(
      ErrorCodes.RELEASE_WRONG_ARCH,
      `${basename(file)} is for ${match[2]}; this kiosk is ${arch}.`,
      {
        file: basename(file),
      },
    );
  }
  return { file, version: match[1], arch: match[2], sha256: actual };
}

/** Unpacks a verified release into `releasesDir/<version>` (once: an unpacked one is kept as it is). */
export function unpackRelease(release: VerifiedRelease, releasesDir: string): string {
  const target = join(releasesDir, release.version);
  if (existsSync(join(target, "package.json"))) return target;
  const incoming = join(releasesDir, `.incoming-${release.version}`);
  rmSync(incoming, { recursive: true, force: true });
  mkdirSync(incoming, { recursive: true });
  execFileSync("tar", ["-xzf", release.file, "-C", incoming, "--no-same-owner"]);
  const top = join(incoming, `spectra-kiosk-${release.version}-linux-${release.arch}`);
  const manifest = JSON.parse(readFileSync(join(top, "package.json"), "utf8")) as { version?: string };
  if (manifest.version !== release.version) {
    rmSync(incoming, { recursive: true, force: true });
    throw new KioskError(
      ErrorCodes.RELEASE_INVALID,
      `${basename(release.file)} holds version ${manifest.version}, not ${release.version}.`,
    );
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(top, target);
  rmSync(incoming, { recursive: true, force: true });
  return target;
}
