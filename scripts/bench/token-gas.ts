/**
 * Gas of single TestUSDC transactions on the in-process Hardhat network, in the setting of the FiatToken
 * v2.2 measurements in the research notes: a relayer submits, the payer keeps a non-zero balance, the
 * nonce slot goes from zero to non-zero, and the payee already holds tokens unless the row says otherwise.
 *
 *   npx hardhat run scripts/bench/token-gas.ts
 *
 * Prints one line per case as `case<TAB>gasUsed<TAB>USDC v2.2 reference` and writes bench/results/token-gas.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import type { Hex } from "viem";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildAuthorization,
  signCancelAuthorization,
  signReceiveAuthorization,
  signTransferAuthorization,
  splitSignature,
  tokenDomain,
} from "../../test/helpers/eip3009.js";

const payer = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [admin, relayer, payee] = await viem.getWalletClients();
if (admin === undefined || relayer === undefined || payee === undefined) throw new Error("need 3 accounts");

const token = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
const wallet = await viem.deployContract("ERC1271WalletMock", [payer.address, false]);
const asRelayer = await viem.getContractAt("TestUSDC", token.address, { client: { wallet: relayer } });
const asPayee = await viem.getContractAt("TestUSDC", token.address, { client: { wallet: payee } });
const domain = tokenDomain(token.address, await publicClient.getChainId());

await token.write.configureMinter([admin.account.address, 2n ** 256n - 1n]);
await token.write.mint([payer.address, 1_000_000_000n]);
await token.write.mint([wallet.address, 1_000_000_000n]);
await token.write.mint([payee.account.address, 1n]);

let counter = 0;
const freshNonce = (): Hex => keccak256(toHex(`bench-${counter++}`));
const freshPayee = () => privateKeyToAccount(keccak256(toHex(`payee-${counter++}`))).address;

async function gasOf(hash: Promise<Hex>): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error("transaction reverted");
  return receipt.gasUsed;
}

async function transferCase(form: "vrs" | "bytes", to: Hex, from: Hex = payer.address): Promise<bigint> {
  const now = (await publicClient.getBlock()).timestamp;
  const a = buildAuthorization({ from, to, nonce: freshNonce() }, now);
  const signature = await signTransferAuthorization(payer, domain, a);
  const args = [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
  if (form === "bytes") return gasOf(asRelayer.write.transferWithAuthorization([...args, signature]));
  const { v, r, s } = splitSignature(signature);
  return gasOf(asRelayer.write.transferWithAuthorization([...args, v, r, s]));
}

const rows: [string, bigint, string][] = [];
// Warm-up so that no row pays for first-ever writes elsewhere (e.g. the relayer's first transaction).
await transferCase("bytes", payee.account.address);

rows.push([
  "transferWithAuthorization v,r,s (payee has balance)",
  await transferCase("vrs", payee.account.address),
  "85,708",
]);
rows.push([
  "transferWithAuthorization bytes (payee has balance)",
  await transferCase("bytes", payee.account.address),
  "86,120",
]);
rows.push(["transferWithAuthorization v,r,s (payee balance 0)", await transferCase("vrs", freshPayee()), "—"]);
rows.push(["transferWithAuthorization bytes (payee balance 0)", await transferCase("bytes", freshPayee()), "103,232"]);
rows.push([
  "transferWithAuthorization bytes, ERC-1271 wallet payer",
  await transferCase("bytes", payee.account.address, wallet.address),
  "90,639",
]);

{
  const now = (await publicClient.getBlock()).timestamp;
  const a = buildAuthorization({ from: payer.address, to: payee.account.address, nonce: freshNonce() }, now);
  const signature = await signReceiveAuthorization(payer, domain, a);
  rows.push([
    "receiveWithAuthorization bytes (payee submits)",
    await gasOf(
      asPayee.write.receiveWithAuthorization([a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature]),
    ),
    "86,139",
  ]);
}
{
  const nonce = freshNonce();
  const signature = await signCancelAuthorization(payer, domain, { authorizer: payer.address, nonce });
  rows.push([
    "cancelAuthorization bytes",
    await gasOf(asRelayer.write.cancelAuthorization([payer.address, nonce, signature])),
    "70,852",
  ]);
}
rows.push(["ERC-20 transfer (recipient has balance)", await gasOf(asPayee.write.transfer([payer.address, 1n])), "—"]);

for (const [name, gas, usdc] of rows) console.log(`${name}\t${gas}\t${usdc}`);

mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/token-gas.json",
  `${JSON.stringify(
    {
      description:
        "Gas of single TestUSDC transactions next to FiatToken v2.2 (USDC) measured in the same setting " +
        "(a relayer submits, the payer keeps a non-zero balance, fresh nonce). Generated by scripts/bench/token-gas.ts.",
      operations: rows.map(([name, gas, usdc]) => ({
        name,
        gasUsed: Number(gas),
        usdcV22: usdc === "—" ? null : Number(usdc.replaceAll(",", "")),
      })),
    },
    null,
    2,
  )}\n`,
);
