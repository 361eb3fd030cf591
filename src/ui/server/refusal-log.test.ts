import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../core/logger.js";
import { RefusalLog } from "./refusal-log.js";

describe("RefusalLog", () => {
  it("logs the first refusal of a code in a window and counts the rest", () => {
    const logger = createMemoryLogger();
    let now = 0;
    const log = new RefusalLog(logger, { windowMs: 60_000, now: () => now });
    for (let i = 0; i < 1000; i++) log.refused("UI_ORIGIN_REFUSED", `request ${i}`);
    log.refused("UI_MESSAGE_INVALID", "garbage");
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[0]).toContain("[UI_ORIGIN_REFUSED] request 0");
    expect(logger.lines[1]).toContain("[UI_MESSAGE_INVALID] garbage");

    now = 60_000;
    log.refused("UI_ORIGIN_REFUSED", "request 1000");
    expect(logger.lines).toHaveLength(4);
    expect(JSON.parse(logger.lines[2] ?? "")).toMatchObject({ code: "UI_ORIGIN_REFUSED", refused: 999 });
    expect(logger.lines[3]).toContain("request 1000");
  });

  it("says what it counted when flushed", () => {
    const logger = createMemoryLogger();
    const log = new RefusalLog(logger, { now: () => 0 });
    log.refused("UI_ORIGIN_REFUSED", "one");
    log.refused("UI_ORIGIN_REFUSED", "two");
    log.refused("UI_ORIGIN_REFUSED", "three");
    log.flush();
    expect(logger.lines).toHaveLength(2);
    expect(JSON.parse(logger.lines[1] ?? "")).toMatchObject({ refused: 2 });
    log.flush();
    expect(logger.lines).toHaveLength(2);
  });
});
