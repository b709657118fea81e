import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_HARDHAT_MNEMONIC } from "@x402kit/hardhat-node";
import { privateKeyToAddress } from "viem/accounts";
import { deriveDevnetAccounts } from "./accounts.js";

describe("deriveDevnetAccounts", () => {
  test("default: Hardhat's well-known accounts by role", () => {
    const accounts = deriveDevnetAccounts({ mnemonic: DEFAULT_HARDHAT_MNEMONIC, payers: 2 });
    // Hardhat accounts #0–#5, as `hardhat node` prints them.
    assert.equal(accounts.deployer.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(accounts.deployer.privateKey, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    assert.equal(accounts.facilitator.address, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    assert.equal(accounts.agentOwner.address, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    assert.equal(accounts.agentWallet.address, "0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    assert.deepEqual(
      accounts.payers.map((payer) => payer.address),
      ["0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"],
    );
  });

  test("behavior: every key belongs to its address", () => {
    const accounts = deriveDevnetAccounts({ mnemonic: DEFAULT_HARDHAT_MNEMONIC, payers: 30 });
    assert.equal(accounts.payers.length, 30);
    for (const account of [accounts.deployer, accounts.facilitator, accounts.agentOwner, ...accounts.payers]) {
      assert.equal(privateKeyToAddress(account.privateKey), account.address);
    }
    assert.equal(new Set(accounts.payers.map((payer) => payer.address)).size, 30);
  });

  test("behavior: facilitator signer keys: #1 first, then accounts of their own, distinct from every other role", () => {
    assert.deepEqual(
      deriveDevnetAccounts({ mnemonic: DEFAULT_HARDHAT_MNEMONIC, payers: 1 }).facilitatorSigners.map((a) => a.address),
      ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"],
    );
    const accounts = deriveDevnetAccounts({ mnemonic: DEFAULT_HARDHAT_MNEMONIC, payers: 3, facilitatorSigners: 3 });
    assert.equal(accounts.facilitatorSigners[0]?.address, accounts.facilitator.address);
    const others = [
      accounts.deployer,
      accounts.agentOwner,
      accounts.agentWallet,
      accounts.channelSender,
      accounts.receiverAuthorizer,
      ...accounts.payers,
    ].map((a) => a.address);
    const signers = accounts.facilitatorSigners.map((a) => a.address);
    assert.equal(new Set(signers).size, 3);
    for (const signer of signers) assert.ok(!others.includes(signer), signer);
    for (const account of accounts.facilitatorSigners) {
      assert.equal(privateKeyToAddress(account.privateKey), account.address);
    }
  });
});
