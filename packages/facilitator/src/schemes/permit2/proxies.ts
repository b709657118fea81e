import {
  PERMIT2_ADDRESS,
  permit2Abi,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@x402kit/bindings";
import { type Abi, type Address, encodeFunctionData, getAddress, type Hex, parseErc6492Signature } from "viem";
import type { Eip2612Permit, Permit2Payload } from "./schemas.js";

/** The two Permit2 schemes of this facilitator. */
export type Permit2SchemeName = "exact" | "upto";

/** Where each scheme settles: the proxy at the official `@x402/evm` address, and the errors a revert may carry. */
export const permit2Proxies = {
  exact: { address: getAddress(X402_EXACT_PERMIT2_PROXY_ADDRESS), abi: x402ExactPermit2ProxyAbi },
  upto: { address: getAddress(X402_UPTO_PERMIT2_PROXY_ADDRESS), abi: x402UptoPermit2ProxyAbi },
} as const;

/** Permit2, at its canonical address. */
export const permit2Address = getAddress(PERMIT2_ADDRESS);

/** The errors a settle may revert with: the proxy's and Permit2's. */
export const settleErrorsAbi = [
  ...x402ExactPermit2ProxyAbi.filter((item) => item.type === "error"),
  ...x402UptoPermit2ProxyAbi.filter((item) => item.type === "error"),
  ...permit2Abi.filter((item) => item.type === "error"),
] as Abi;

/**
 * The proxy call that settles a payment: `settle(permit, [amount,] owner, witness, signature)`, or
 * `settleWithPermit(permit2612, …)` with the EIP-2612 extension. The signature is unwrapped from ERC-6492 as the
 * official facilitator does; `amount` is the upto settlement (at most the permitted amount).
 */
export function settleCall(parameters: {
  scheme: Permit2SchemeName;
  payload: Permit2Payload;
  amount: bigint;
  eip2612: Eip2612Permit | undefined;
}): { to: Address; data: Hex } {
  const { scheme, payload, amount, eip2612 } = parameters;
  const auth = payload.permit2Authorization;
  const { signature } = parseErc6492Signature(payload.signature as Hex);
  const permit = {
    permitted: { token: getAddress(auth.permitted.token), amount: BigInt(auth.permitted.amount) },
    nonce: BigInt(auth.nonce),
    deadline: BigInt(auth.deadline),
  };
  const owner = getAddress(auth.from);
  const validAfter = BigInt(auth.witness.validAfter);
  const to = getAddress(auth.witness.to);
  const permit2612 = eip2612 ? splitPermit(eip2612) : undefined;
  const proxy = permit2Proxies[scheme];
  if (scheme === "exact") {
    const args = [permit, owner, { to, validAfter }, signature] as const;
    return {
      to: proxy.address,
      data: permit2612
        ? encodeFunctionData({
            abi: x402ExactPermit2ProxyAbi,
            functionName: "settleWithPermit",
            args: [permit2612, ...args],
          })
        : encodeFunctionData({ abi: x402ExactPermit2ProxyAbi, functionName: "settle", args }),
    };
  }
  const facilitator = getAddress(auth.witness.facilitator ?? "0x0000000000000000000000000000000000000000");
  const args = [permit, amount, owner, { to, facilitator, validAfter }, signature] as const;
  return {
    to: proxy.address,
    data: permit2612
      ? encodeFunctionData({
          abi: x402UptoPermit2ProxyAbi,
          functionName: "settleWithPermit",
          args: [permit2612, ...args],
        })
      : encodeFunctionData({ abi: x402UptoPermit2ProxyAbi, functionName: "settle", args }),
  };
}

/** The extension's 65-byte signature as the proxy's `EIP2612Permit` struct; throws when it is not 65 bytes. */
function splitPermit(info: Eip2612Permit) {
  const sig = info.signature.slice(2);
  if (sig.length !== 130) throw new Error(`invalid EIP-2612 signature length: ${sig.length / 2} bytes, expected 65`);
  return {
    value: BigInt(info.amount),
    deadline: BigInt(info.deadline),
    r: `0x${sig.slice(0, 64)}` as Hex,
    s: `0x${sig.slice(64, 128)}` as Hex,
    v: Number.parseInt(sig.slice(128, 130), 16),
  };
}
