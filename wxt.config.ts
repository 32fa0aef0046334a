import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// See README "Architecture" for why each choice below was made.
export default defineConfig({
  // A separate output folder lets a benchmark or a second build run without
  // replacing the extension an end-to-end run is using.
  outDir: process.env.LH_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'unlimitedStorage'],
    host_permissions: ['*://time.geekbang.org/*'],
    // The toolbar button opens the review popup (entrypoints/popup); its tooltip follows the UI language.
    action: { default_title: '__MSG_extName__' },
  },
});
