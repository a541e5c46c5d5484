import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// @parley/client comes through its package exports (client/dist, built by `npm run build` before
// the web app), as it does in any app that installs it.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
