import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { firefoxSettings } from './firefox-manifest';

// See README "Architecture" for why each choice below was made.
export default defineConfig({
  // A separate output folder lets a benchmark or a second build run without
  // replacing the extension an end-to-end run is using.
  outDir: process.env.LH_OUT_DIR ?? '.output',
  // MV3 for every browser, Firefox included (WXT would pick MV2 there): README "Firefox" says why.
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'unlimitedStorage', 'alarms'],
    host_permissions: ['*://time.geekbang.org/*'],
    // The sync server's host is asked for on the options page when the reader saves it (issue #5),
    // not at install; plain http only on this computer. Kept equal to OPTIONAL_HOST_PERMISSIONS (server-settings.ts).
    optional_host_permissions: ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'],
    // The toolbar button opens the review popup (entrypoints/popup); its tooltip follows the UI language.
    action: { default_title: '__MSG_extName__' },
    // Firefox only: add-on id, minimum version, data collection (firefox-manifest.ts).
    ...(browser === 'firefox' ? { browser_specific_settings: firefoxSettings } : {}),
  }),
});
