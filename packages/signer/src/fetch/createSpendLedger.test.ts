import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSpendLedger } from "./createSpendLedger.js";

const hour = { amount: 100n, windowSeconds: 3600 };
const t0 = 1_700_000_000_000;

describe("createSpendLedger", () => {
  test("default: reserves within the budget and refuses beyond it, reporting what was spent", () => {
    const ledger = createSpendLedger();
    assert.equal(ledger.reserve({ id: "a", key: "k", amount: 60n, at: t0 }, [hour]), undefined);
    assert.deepEqual(ledger.reserve({ id: "b", key: "k", amount: 41n, at: t0 + 1 }, [hour]), {
      budget: hour,
      spent: 60n,
    });
    assert.equal(ledger.reserve({ id: "c", key: "k", amount: 40n, at: t0 + 2 }, [hour]), undefined);
    assert.equal(ledger.spent("k", 3600, t0 + 2), 100n);
  });

  test("behavior: re-reserving the same authorization id never counts twice", () => {
    const ledger = createSpendLedger();
    ledger.reserve({ id: "a", key: "k", amount: 60n, at: t0 }, [hour]);
    assert.equal(ledger.reserve({ id: "a", key: "k", amount: 60n, at: t0 + 5 }, [hour]), undefined);
    assert.equal(ledger.spent("k", 3600, t0 + 5), 60n);
  });

  test("behavior: keys are separate, windows slide, release forgets", () => {
    const ledger = createSpendLedger();
    ledger.reserve({ id: "a", key: "k1", amount: 100n, at: t0 }, [hour]);
    assert.equal(ledger.reserve({ id: "b", key: "k2", amount: 100n, at: t0 }, [hour]), undefined);
    assert.notEqual(ledger.reserve({ id: "c", key: "k1", amount: 1n, at: t0 + 3_599_999 }, [hour]), undefined);
    assert.equal(ledger.reserve({ id: "d", key: "k1", amount: 100n, at: t0 + 3_600_000 }, [hour]), undefined);
    ledger.release("d");
    assert.equal(ledger.spent("k1", 3600, t0 + 3_600_000), 0n);
  });

  test("behavior: every budget is enforced", () => {
    const ledger = createSpendLedger();
    const minute = { amount: 10n, windowSeconds: 60 };
    ledger.reserve({ id: "a", key: "k", amount: 10n, at: t0 }, [minute, hour]);
    assert.deepEqual(ledger.reserve({ id: "b", key: "k", amount: 1n, at: t0 + 1000 }, [minute, hour])?.budget, minute);
  });

  test("behavior: a shared wrapper without budgets never prunes entries another wrapper's budget counts", () => {
    const ledger = createSpendLedger();
    ledger.reserve({ id: "a", key: "k", amount: 60n, at: t0 }, [hour]);
    // A second wrapper on the same ledger and asset, with no budgets of its own.
    assert.equal(ledger.reserve({ id: "b", key: "k", amount: 30n, at: t0 + 1000 }, []), undefined);
    assert.equal(ledger.spent("k", 3600, t0 + 1000), 90n);
    assert.deepEqual(ledger.reserve({ id: "c", key: "k", amount: 11n, at: t0 + 2000 }, [hour]), {
      budget: hour,
      spent: 90n,
    });
  });
});
