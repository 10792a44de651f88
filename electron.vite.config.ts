import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One build for both hosts: the renderer in out/renderer is what Electron loads and what
// `apex serve` hands to a browser; main and preload are the thin desktop shell.
export default defineConfig({
  main: {
    build: { outDir: 'out/main', rollupOptions: { input: resolve('electron/main.ts') } },
  },
  preload: {
    build: { outDir: 'out/preload', rollupOptions: { input: resolve('electron/preload.ts') } },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    build: { outDir: resolve('out/renderer'), rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
