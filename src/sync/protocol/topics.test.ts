import { describe, expect, it } from "vitest";
import { kindOf, MESSAGES, type MessageKind } from "./message-map.js";
import { deviceTopic, downlinkFilter, parseTopic, uplinkFilter } from "./topics.js";

describe("topics", () => {
  it("round-trips every message kind through its topic", () => {
    for (const kind of Object.keys(MESSAGES) as MessageKind[]) {
      const spec = MESSAGES[kind];
      const topic = deviceTopic("kiosk-7", spec.direction, spec.suffix);
      const parts = parseTopic(topic);
      expect(parts).toEqual({ deviceId: "kiosk-7", direction: spec.direction, suffix: spec.suffix });
      expect(parts && kindOf(parts.direction, parts.suffix)).toBe(kind);
    }
  });

  it("refuses other versions, bad device ids and empty levels", () => {
    expect(parseTopic("spectra/v2/kiosks/kiosk-7/up/records")).toBeNull();
    expect(parseTopic("spectra/v1/kiosks/Kiosk_7/up/records")).toBeNull();
    expect(parseTopic("spectra/v1/kiosks/kiosk-7/sideways/records")).toBeNull();
    expect(parseTopic("spectra/v1/kiosks/kiosk-7/up//records")).toBeNull();
    expect(parseTopic("spectra/v1/kiosks/kiosk-7/up")).toBeNull();
  });

  it("shares the uplink only when a group is named", () => {
    expect(uplinkFilter("ingest")).toBe("$share/ingest/spectra/v1/kiosks/+/up/#");
    expect(uplinkFilter(null)).toBe("spectra/v1/kiosks/+/up/#");
    expect(downlinkFilter("kiosk-7")).toBe("spectra/v1/kiosks/kiosk-7/down/#");
  });
});
