import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidTransitionError } from "./errors.js";
import {
  assertTransition,
  canTransition,
  inFlightStates,
  terminalStates,
  transitions,
  unsentStates,
} from "./stateMachine.js";
import type { SettlementState } from "./types.js";

const states = Object.keys(transitions) as SettlementState[];

describe("settlement state machine", () => {
  test("default: confirmed and failed are terminal", () => {
    for (const state of terminalStates) assert.deepEqual(transitions[state], []);
  });

  test("behavior: nothing skips the journal's submitted step on the way to confirmed", () => {
    for (const state of states) {
      if (canTransition(state, "confirmed")) assert.ok(inFlightStates.includes(state), `${state} → confirmed`);
    }
  });

  test("behavior: every non-terminal state can still fail truthfully (expiry, used nonce)", () => {
    for (const state of [...unsentStates, ...inFlightStates]) assert.ok(canTransition(state, "failed"), state);
  });

  test("behavior: a refused move throws a typed error", () => {
    assert.throws(() => assertTransition("x", "confirmed", "queued"), InvalidTransitionError);
    assert.throws(() => assertTransition("x", "received", "submitted"), InvalidTransitionError);
    assert.doesNotThrow(() => assertTransition("x", "submitted", "queued"));
  });
});
