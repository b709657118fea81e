import { defineConfig } from "vite";

// The dashboard's web app: Preact (JSX through Vite's own transformer, no Babel) and uPlot, built to
// dist/web with relative asset URLs, so the devnet serves it from any port and path, offline.
export default defineConfig({
  root: "src/web",
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
});
