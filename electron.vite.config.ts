import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One build for both hosts: the renderer in out/renderer is what Electron loads and what
// `apex serve` hands to a browser; main and preload are the thin desktop shell.
export default defineConfig({
  // out/main/index.js is package.json's "main".
  main: {
    build: { outDir: 'out/main', rollupOptions: { input: { index: resolve('electron/main.ts') } } },
  },
  // A sandboxed preload cannot be an ES module, so this one is CommonJS (out/preload/index.cjs)
  // although the package is "type": "module".
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // electron-vite leaves the renderer unminified; browsers load it over HTTP too, so minify.
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
