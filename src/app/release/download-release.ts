import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet, type IncomingMessage } from "node:http";
import { get as httpsGet } from "node:https";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { verifyRelease } from "./release-bundle.js";

/** What central asked for, under its signature: the release's address, version and checksum. */
export interface ReleaseOrder {
  readonly version: string;
  readonly url: string;
  readonly sha256: string;
}

/** The request spectra-kiosk-update.path waits for (updates/request.json). */
export interface UpdateRequest {
  readonly file: string;
  readonly version: string;
  readonly commandId: string;
}

const MAX_RELEASE_BYTES = 256 * 1024 * 1024;

function fetchTo(url: string, target: string, limit: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith("https:") ? httpsGet : httpGet;
    const request = get(url, { timeout: 60_000 }, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new KioskError(ErrorCodes.RELEASE_INVALID, `${url} answered ${response.statusCode}.`));
        return;
      }
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > limit)
          response.destroy(
            new KioskError(ErrorCodes.RELEASE_INVALID, `${url} is larger than ${limit} bytes.`),
          );
      });
      pipeline(response, createWriteStream(target)).then(resolve, reject);
    });
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url} within 60 s`)));
    request.on("error", reject);
  });
}

/**
 * Fetches a release with its checksum and signature into `updatesDir`, checks them against the
 * release key and against the checksum and version central signed, and leaves the request for the
 * update unit. Nothing is installed from here: the kiosk may not write outside its data directory.
 */
export async function downloadRelease(
  order: ReleaseOrder,
  commandId: string,
  options: { readonly updatesDir: string; readonly releaseKeyFile: string },
): Promise<{ file: string; request: UpdateRequest }> {
  const name = basename(new URL(order.url).pathname);
  mkdirSync(options.updatesDir, { recursive: true });
  const file = join(options.updatesDir, name);
  const partial = join(options.updatesDir, `.${name}.partial`);
  try {
    await fetchTo(order.url, partial, MAX_RELEASE_BYTES);
    await fetchTo(`${order.url}.sha256`, `${file}.sha256`, 4096);
    await fetchTo(`${order.url}.sha256.sig`, `${file}.sha256.sig`, 4096);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error instanceof KioskError
      ? error
      : new KioskError(
          ErrorCodes.RELEASE_INVALID,
          `The release could not be fetched: ${(error as Error).message}`,
        );
  }
  let key: string;
  try {
    key = readFileSync(options.releaseKeyFile, "utf8");
  } catch {
    throw new KioskError(
      ErrorCodes.RELEASE_UNSIGNED,
      `No release key at ${options.releaseKeyFile}: nothing can be installed.`,
    );
  }
  try {
    const release = verifyRelease(file, key);
    if (release.sha256 !== order.sha256 || release.version !== order.version) {
      throw new KioskError(
        ErrorCodes.RELEASE_CHECKSUM_MISMATCH,
        `${name} is not the release central named (version ${order.version}, sha256 ${order.sha256.slice(0, 12)}…).`,
      );
    }
  } catch (error) {
    for (const leftover of [file, `${file}.sha256`, `${file}.sha256.sig`]) rmSync(leftover, { force: true });
    throw error;
  }
  const request: UpdateRequest = { file: name, version: order.version, commandId };
  // Written whole, then renamed: the path unit must never see half a request.
  const pending = join(options.updatesDir, ".request.json");
  writeFileSync(pending, `${JSON.stringify(request)}\n`);
  renameSync(pending, join(options.updatesDir, "request.json"));
  return { file, request };
}
