import { inspect } from "node:util";

const HIDDEN = "[swiped tracks]";

/**
 * A plain swipe's track 1 and track 2 data as the reader sent them (without sentinels or LRC), for a
 * processor that takes track data. Like a CardNumber it shows a placeholder in every text form
 * (String(), JSON, console, util.inspect), and `wipe()` forgets the tracks.
 */
export class SwipedTracks {
  #track1: string | null;
  #track2: string | null;

  constructor(track1: string | null, track2: string | null) {
    this.#track1 = track1;
    this.#track2 = track2;
  }

  get track1(): string | null {
    return this.#track1;
  }

  get track2(): string | null {
    return this.#track2;
  }

  wipe(): void {
    this.#track1 = null;
    this.#track2 = null;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
