import { type Address, encodeFunctionData, getAddress, type Hex, maxUint256, type PublicClient, parseAbi } from "viem";
import { PERMIT2_ADDRESS } from "./constants.js";

const erc20Abi = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
]);

/**
 * The payer's one-time transaction before its first Permit2 payment in a token: `approve(Permit2, 2^256 − 1)`, as the
 * official clients build it. Send it from the payer (it pays the gas); every later payment is a signature.
 *
 * @param token - The ERC-20.
 * @returns `{ to, data }` for `sendTransaction`.
 */
export function buildPermit2ApprovalTransaction(token: Address): { to: Address; data: Hex } {
  return {
    to: getAddress(token),
    data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [PERMIT2_ADDRESS, maxUint256] }),
  };
}

/**
 * How much of `token` Permit2 may move for `owner`: a payment of `amount` needs at least that.
 *
 * @param parameters - A public client, the token and the owner.
 * @returns The allowance.
 */
export function readPermit2Allowance(parameters: {
  client: Pick<PublicClient, "readContract">;
  token: Address;
  owner: Address;
}): Promise<bigint> {
  return parameters.client.readContract({
    address: getAddress(parameters.token),
    abi: erc20Abi,
    functionName: "allowance",
    args: [getAddress(parameters.owner), PERMIT2_ADDRESS],
  });
}
