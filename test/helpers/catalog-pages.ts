import type { KeyObject } from "node:crypto";
import { signCatalogPage } from "../../src/sync/protocol/command-signature.js";
import type { CatalogPage } from "../../src/sync/protocol/messages.js";

export type PageContent = Pick<CatalogPage, "since" | "cursor" | "more" | "clients" | "invoices">;

/** A catalog page as central sends it: for `deviceId`, valid for ten minutes from `now`, signed with `key`. */
export function signedPage(
  content: PageContent,
  deviceId: string,
  key: KeyObject,
  now: Date = new Date(),
  overrides: Partial<Omit<CatalogPage, "signature">> = {},
): CatalogPage {
  return signCatalogPage(
    {
      deviceId,
      ...content,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 600_000).toISOString(),
      ...overrides,
    },
    key,
  );
}
