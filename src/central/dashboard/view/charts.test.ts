import { describe, expect, it } from "vitest";
import { healthStrip, lineChart } from "./charts.js";

const chart = (points: { at: number; value: number | null }[]) =>
  lineChart({
    title: "Records waiting",
    testId: "chart",
    from: 0,
    to: 100_000,
    gapMs: 15_000,
    points,
    format: (value) => String(value),
  }).text;

describe("charts", () => {
  it("draw one path per unbroken run, breaking where telemetry stopped", () => {
    const svg = chart([
      { at: 0, value: 0 },
      { at: 10_000, value: 5 },
      { at: 20_000, value: 10 },
      { at: 60_000, value: 4 },
      { at: 70_000, value: 2 },
    ]);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('data-points="5"');
    expect(svg).toContain("latest 2");
    expect(svg).toContain("max 10");
    // The top of the axis is the largest value, at the plot's top edge.
    expect(svg).toContain("M76,138 L127.4,76 L178.8,14");
  });

  it("show a lone point as a dot and an empty range as such", () => {
    expect(chart([{ at: 50_000, value: 3 }])).toContain("<circle");
    expect(chart([])).toContain("no telemetry in this range");
  });

  it("escape device names in the health strip", () => {
    const svg = healthStrip({
      from: 0,
      to: 100_000,
      bucketMs: 10_000,
      points: [{ at: 0, drivers: { "<script>": { status: "error" }, printer: { status: "connected" } } }],
    }).text;
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;: error");
    expect(svg).toContain('fill="#2f9e57"');
  });
});
