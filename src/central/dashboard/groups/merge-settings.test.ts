import { describe, expect, it } from "vitest";
import { mergeSettings } from "./merge-settings.js";

describe("a group's settings over a kiosk's own desired settings", () => {
  it("keeps the kiosk's other paths and replaces the group's", () => {
    expect(mergeSettings({ "log.level": "info", "ui.idleSeconds": 60 }, { "log.level": "debug" })).toEqual({
      "log.level": "debug",
      "ui.idleSeconds": 60,
    });
  });

  it("replaces every path inside a section the group sets whole", () => {
    expect(
      mergeSettings(
        { "ui.idleSeconds": 60, "ui.language": "es", log: { level: "info" } },
        { ui: { idleSeconds: 30 } },
      ),
    ).toEqual({
      ui: { idleSeconds: 30 },
      log: { level: "info" },
    });
  });

  it("writes inside a whole section the kiosk sets, so no two paths overlap", () => {
    const merged = mergeSettings({ ui: { idleSeconds: 60, language: "es" } }, { "ui.language": "en" });
    expect(merged).toEqual({ ui: { idleSeconds: 60, language: "en" } });
    expect(mergeSettings({}, { "a.b": 1 })).toEqual({ "a.b": 1 });
  });

  it("does not change the kiosk's settings it was given", () => {
    const base = { ui: { idleSeconds: 60 } };
    mergeSettings(base, { "ui.idleSeconds": 5 });
    expect(base).toEqual({ ui: { idleSeconds: 60 } });
  });
});
