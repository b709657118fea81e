import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const ERC1271_MAGIC_VALUE = "0x1626ba7e";
const ERC1271_REJECTED = "0xffffffff";

// Fixed keys keep the vectors deterministic.
const owner = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");
const stranger = privateKeyToAccount("0x0000000000000000000000000000000000000000000000000000000000000b0b");

describe("ERC1271WalletMock", async () => {
  const { viem, networkHelpers } = await network.create();

  async function deployWalletsFixture() {
    const accepting = await viem.deployContract("ERC1271WalletMock", [owner.address, false]);
    const refusing = await viem.deployContract("ERC1271WalletMock", [owner.address, true]);
    return { accepting, refusing };
  }

  describe("isValidSignature", () => {
    const digest = keccak256(toHex("x402kit"));

    it("accepts a signature by the owner", async () => {
      const { accepting } = await networkHelpers.loadFixture(deployWalletsFixture);
      const signature = await owner.sign({ hash: digest });
      assert.equal(await accepting.read.isValidSignature([digest, signature]), ERC1271_MAGIC_VALUE);
    });

    it("refuses a signature by another key", async () => {
      const { accepting } = await networkHelpers.loadFixture(deployWalletsFixture);
      const signature = await stranger.sign({ hash: digest });
      assert.equal(await accepting.read.isValidSignature([digest, signature]), ERC1271_REJECTED);
    });

    it("refuses everything when built to refuse", async () => {
      const { refusing } = await networkHelpers.loadFixture(deployWalletsFixture);
      const signature = await owner.sign({ hash: digest });
      assert.equal(await refusing.read.isValidSignature([digest, signature]), ERC1271_REJECTED);
    });
  });
});
