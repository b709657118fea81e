import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";

const CAP = 10_000_000_000n; // 10,000 USDC
const COOLDOWN = 3600n;

describe("TestUSDC faucet", async () => {
  const { viem, networkHelpers } = await network.create();

  async function deployFaucetFixture() {
    const [admin, user, other] = await viem.getWalletClients();
    if (admin === undefined || user === undefined || other === undefined) throw new Error("need 3 accounts");
    const token = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
    const asUser = await viem.getContractAt("TestUSDC", token.address, { client: { wallet: user } });
    return { token, asUser, user, other };
  }

  it("is off until the admin configures it", async () => {
    const { token, asUser, user } = await networkHelpers.loadFixture(deployFaucetFixture);
    assert.deepEqual(await token.read.faucetConfig(), [false, 0n, 0n]);
    await viem.assertions.revertWithCustomError(
      asUser.write.faucet([user.account.address, 1n]),
      asUser,
      "TestUSDCFaucetDisabled",
    );
  });

  it("drips up to the cap, then makes the recipient wait for the cooldown", async () => {
    const { token, asUser, user, other } = await networkHelpers.loadFixture(deployFaucetFixture);
    await viem.assertions.emitWithArgs(token.write.configureFaucet([true, CAP, COOLDOWN]), token, "FaucetConfigured", [
      true,
      CAP,
      COOLDOWN,
    ]);
    const to = getAddress(user.account.address);

    await viem.assertions.revertWithCustomErrorWithArgs(
      asUser.write.faucet([to, CAP + 1n]),
      asUser,
      "TestUSDCFaucetCapExceeded",
      [CAP + 1n, CAP],
    );

    const dripAt = BigInt(await networkHelpers.time.latest()) + 10n;
    await networkHelpers.time.setNextBlockTimestamp(dripAt);
    await viem.assertions.emitWithArgs(asUser.write.faucet([to, CAP]), token, "FaucetDripped", [
      to,
      CAP,
      dripAt + COOLDOWN,
    ]);
    assert.equal(await token.read.balanceOf([to]), CAP);
    assert.equal(await token.read.faucetReadyAt([to]), dripAt + COOLDOWN);

    await viem.assertions.revertWithCustomErrorWithArgs(
      asUser.write.faucet([to, 1n]),
      asUser,
      "TestUSDCFaucetCooldown",
      [to, dripAt + COOLDOWN],
    );
    // The cooldown is per recipient.
    await asUser.write.faucet([other.account.address, 1n]);

    await networkHelpers.time.setNextBlockTimestamp(dripAt + COOLDOWN);
    await asUser.write.faucet([to, 1n]);
    assert.equal(await token.read.balanceOf([to]), CAP + 1n);
    assert.equal(await token.read.totalSupply(), CAP + 2n);
  });
});
