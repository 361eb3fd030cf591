import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AT_REST, collectAtRest, REST_BEFORE_COLLECT_MS } from "./rest-collect.js";

describe("collectAtRest", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("collects once the screen has rested, once", () => {
    const collect = vi.fn();
    collectAtRest(collect);
    vi.advanceTimersByTime(REST_BEFORE_COLLECT_MS - 1);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    expect(collect).toHaveBeenCalledWith(AT_REST);
    vi.advanceTimersByTime(10 * REST_BEFORE_COLLECT_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("does not collect while screens keep changing", () => {
    const collect = vi.fn();
    for (let change = 0; change < 20; change += 1) {
      collectAtRest(collect);
      vi.advanceTimersByTime(REST_BEFORE_COLLECT_MS / 2);
    }
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(REST_BEFORE_COLLECT_MS / 2);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("does nothing where the browser gives no gc (any browser but the screen unit's Chromium)", () => {
    const collect = vi.fn();
    collectAtRest(collect);
    collectAtRest(undefined);
    vi.advanceTimersByTime(2 * REST_BEFORE_COLLECT_MS);
    expect(collect).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
