import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { errorSummary, redactHex } from "./errorSummary.js";

describe("errorSummary", () => {
  test("default: keeps the first line and shortens signatures and calldata", () => {
    const signature = `0x${"ab".repeat(65)}`;
    const summary = errorSummary(
      new Error(`execution reverted for ${signature}\nRequest body: {"raw":"${signature}"}`),
    );
    assert.equal(summary.name, "Error");
    assert.equal(summary.message, "execution reverted for 0xabababab…abab");
    assert.ok(!summary.message.includes(signature));
  });

  test("behavior: 32-byte hashes stay readable", () => {
    const hash = `0x${"12".repeat(32)}`;
    assert.equal(redactHex(`tx ${hash}`), `tx ${hash}`);
  });
});
