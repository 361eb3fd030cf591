import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { packagePath } from "../../core/package-root.js";

export interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
  readonly gzipped: Buffer;
}

/** Where the build step puts the front end. */
export const WEB_DIR = `${packagePath("dist", "ui", "web")}/`;

const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
};

/** The built front end, read once and kept in memory (a few tens of KB), gzipped for the wire. */
export function loadStaticFiles(dir = WEB_DIR): Map<string, StaticFile> | null {
  const files = new Map<string, StaticFile>();
  try {
    for (const [path, { file, type }] of Object.entries(FILES)) {
      const body = readFileSync(`${dir}${file}`);
      files.set(path, { type, body, gzipped: gzipSync(body, { level: 9 }) });
    }
  } catch {
    return null;
  }
  return files;
}
