/** Source of time, injected so tests can move it. */
export type Clock = {
  /** Milliseconds since the Unix epoch. */
  now(): number;
};

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
