import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's root folder (where package.json, config/ and dist/ are). This module sits two folders
 * below the root wherever it runs from — src/core/ under the tests, dist/core/ after tsc, dist/kiosk/
 * in the bundle `bin/spectra-kiosk.js` starts — so every file of the package is found from here.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A file or folder of the package, by its path from the root. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
