import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the API listens in development (`npm run dev:web` proxies to it). */
const apiTarget = process.env.PORTAL_API_URL ?? 'http://127.0.0.1:3000';
const proxy = {
  '/api': { target: apiTarget, changeOrigin: false },
  '/verify': { target: apiTarget, changeOrigin: false },
};

/**
 * The react-admin SPA. Works from the repository root (`vite build --config apps/web/vite.config.ts`)
 * and from `apps/web` (`npm -w @portal/web run build`): the root is always this folder.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    // the shared contracts are compiled from source: no build of libs/contracts is needed for the web app
    alias: { '@portal/contracts': here('../../libs/contracts/src/index.ts') },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // vendors in their own long-cached chunks; each resource is lazy-loaded (see App.tsx)
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 40 },
            { name: 'mui-icons', test: /node_modules[\\/]@mui[\\/]icons-material[\\/]/, priority: 35 },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion|@popperjs|react-transition-group|stylis)[\\/]/, priority: 30 },
            {
              name: 'react-admin',
              test: /node_modules[\\/](react-admin|ra-[a-z-]+|@tanstack|react-hook-form|react-router|react-router-dom|query-string|lodash|node-polyglot|inflection|react-dropzone|react-error-boundary|react-hotkeys-hook|date-fns|clsx|jsonexport|eventemitter3|decode-uri-component|filter-obj|split-on-first)[\\/]/,
              priority: 20,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
