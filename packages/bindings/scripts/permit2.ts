import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

/** Permit2 as compiled here from the source `@uniswap/v4-periphery` ships (its own solc 0.8.17 and settings). */
export interface Permit2Build {
  /** sha256 of the compiler version, the settings and every source file: unchanged inputs, unchanged output. */
  inputHash: string;
  abi: unknown[];
  /** Runtime code with its immutables zeroed (they are set per chain when the code is installed). */
  runtimeCode: string;
  /** Byte offsets in `runtimeCode` of the immutables `_CACHED_CHAIN_ID` and `_CACHED_DOMAIN_SEPARATOR`. */
  cachedChainIdOffsets: number[];
  cachedDomainSeparatorOffsets: number[];
}

const require = createRequire(import.meta.url);
/** Permit2's own settings (its foundry.toml): solc 0.8.17, via-IR, 1,000,000 optimizer runs, no metadata hash. */
const SETTINGS = {
  viaIR: true,
  optimizer: { enabled: true, runs: 1_000_000 },
  metadata: { bytecodeHash: "none" },
  outputSelection: {
    "*": { "*": ["abi", "evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"], "": ["ast"] },
  },
};

function permit2Root(): string {
  return join(dirname(require.resolve("@uniswap/v4-periphery/package.json")), "lib", "permit2");
}

function solFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return solFiles(full);
    return entry.endsWith(".sol") ? [full] : [];
  });
}

/** The hash of what the build depends on: compiler, settings, the Permit2 and solmate sources. */
export function permit2InputHash(): string {
  const root = permit2Root();
  const solc = require("solc-0.8.17/package.json") as { version: string };
  const hash = createHash("sha256").update(solc.version).update(JSON.stringify(SETTINGS));
  for (const file of [...solFiles(join(root, "src")), ...solFiles(join(root, "lib", "solmate", "src"))].sort()) {
    hash.update(relative(root, file)).update(readFileSync(file));
  }
  return `0x${hash.digest("hex")}`;
}

/** Compiles Permit2 (tens of seconds: via-IR in WebAssembly). */
export function compilePermit2(): Permit2Build {
  const root = permit2Root();
  const solc = require("solc-0.8.17") as { compile(input: string, options: { import(path: string): unknown }): string };
  const sources: Record<string, { content: string }> = {};
  for (const file of solFiles(join(root, "src"))) {
    sources[relative(root, file)] = { content: readFileSync(file, "utf8") };
  }
  const input = {
    language: "Solidity",
    sources: { "src/Permit2.sol": sources["src/Permit2.sol"] },
    settings: SETTINGS,
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import(path: string) {
        // Permit2's remapping: solmate/ → lib/solmate/; everything else is relative to its root.
        const file = path.startsWith("solmate/") ? join(root, "lib", path) : join(root, path);
        try {
          return { contents: readFileSync(file, "utf8") };
        } catch {
          return { error: `not found: ${path}` };
        }
      },
    }),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    sources: Record<string, { ast: unknown }>;
    contracts: Record<
      string,
      Record<
        string,
        {
          abi: unknown[];
          evm: {
            deployedBytecode: {
              object: string;
              immutableReferences: Record<string, { start: number; length: number }[]>;
            };
          };
        }
      >
    >;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0)
    throw new Error(`Permit2 does not compile:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const contract = output.contracts["src/Permit2.sol"]?.Permit2;
  if (!contract) throw new Error("no Permit2 in the compiler output");
  // Which immutable reference is which: the AST ids of the two variable declarations in EIP712.sol.
  const idsByName = new Map<string, number>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as { nodeType?: string; name?: string; id?: number; mutability?: string };
    if (n.nodeType === "VariableDeclaration" && n.mutability === "immutable" && n.name && n.id !== undefined) {
      idsByName.set(n.name, n.id);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") walk(value);
    }
  };
  for (const source of Object.values(output.sources)) walk(source.ast);
  const refs = contract.evm.deployedBytecode.immutableReferences;
  const offsets = (name: string) => {
    const id = idsByName.get(name);
    const found = id === undefined ? undefined : refs[String(id)];
    if (!found) throw new Error(`no immutable reference for ${name}`);
    for (const ref of found) if (ref.length !== 32) throw new Error(`${name}: a ${ref.length}-byte reference`);
    return found.map((ref) => ref.start);
  };
  return {
    inputHash: permit2InputHash(),
    abi: contract.abi,
    runtimeCode: `0x${contract.evm.deployedBytecode.object}`,
    cachedChainIdOffsets: offsets("_CACHED_CHAIN_ID"),
    cachedDomainSeparatorOffsets: offsets("_CACHED_DOMAIN_SEPARATOR"),
  };
}
