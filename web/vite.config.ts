import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The client library is bundled from its source, so the app never needs client/dist.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@parley/client": fileURLToPath(new URL("../client/src/index.ts", import.meta.url)) } },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
