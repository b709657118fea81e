import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import {
  type Account,
  type Chain,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicActions,
  publicActions,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** The official facilitator's answers, as its HTTP routes would serialise them. */
export type OfficialFacilitator = {
  verify(body: { paymentPayload: unknown; paymentRequirements: unknown }): Promise<Record<string, unknown>>;
  settle(body: { paymentPayload: unknown; paymentRequirements: unknown }): Promise<Record<string, unknown>>;
};

/**
 * The official x402 facilitator (`@x402/core` + `@x402/evm` `exact`), wired the way its example facilitator is,
 * in process, to run beside ours on the same chain: where it refuses a payment, ours must refuse it for the
 * same reason.
 *
 * @param rpcUrl - The local node.
 * @param chainId - Its chain id.
 * @param privateKey - The official facilitator's own signer key (not one of ours: one writer per key).
 * @param options - `eip6492AllowedFactories`: the factories of counterfactual wallets it may deploy (none by default).
 */
/** The official facilitator's signer over a viem wallet client with public actions, wired as the x402 examples do. */
export function officialSigner(
  client: WalletClient<Transport, Chain | undefined, Account> & PublicActions<Transport, Chain | undefined>,
) {
  return toFacilitatorEvmSigner({
    address: client.account.address,
    getCode: (args) => client.getCode(args),
    readContract: (args) => client.readContract({ ...args, args: args.args ?? [] } as never),
    verifyTypedData: (args) => client.verifyTypedData(args as never),
    writeContract: (args) => client.writeContract({ ...args, args: args.args ?? [] } as never),
    sendTransaction: (args) => client.sendTransaction(args as never),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
  });
}

export function officialFacilitator(
  rpcUrl: string,
  chainId: number,
  privateKey: Hex,
  options: { eip6492AllowedFactories?: string[] } = {},
): OfficialFacilitator {
  const account = privateKeyToAccount(privateKey);
  const chain = defineChain({
    id: chainId,
    name: `local-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const signer = officialSigner(createWalletClient({ account, chain, transport: http() }).extend(publicActions));
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, {
    signer,
    networks: `eip155:${chainId}`,
    ...(options.eip6492AllowedFactories ? { eip6492AllowedFactories: options.eip6492AllowedFactories } : {}),
  });
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  return {
    verify: async (body) =>
      plain(
        await facilitator.verify(
          body.paymentPayload as PaymentPayload,
          body.paymentRequirements as PaymentRequirements,
        ),
      ),
    settle: async (body) =>
      plain(
        await facilitator.settle(
          body.paymentPayload as PaymentPayload,
          body.paymentRequirements as PaymentRequirements,
        ),
      ),
  };
}
