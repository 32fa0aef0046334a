import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { firefoxSettings } from './firefox-manifest';

/**
 * The build with test hooks (scripts/build-test.mjs sets LH_TEST_HOOKS=1):
 * an open shadow root for our page UI and the run-time permissions granted at
 * install. `__LH_TEST_HOOKS__` is a compile-time constant, so the production
 * build carries neither (tests/e2e/privacy.test.ts checks its bundle).
 */
const testHooks = process.env.LH_TEST_HOOKS === '1';
/**
 * The sync server's host is asked for on the options page when the reader saves it (issue #5),
 * not at install; plain http only on this computer. Kept equal to OPTIONAL_HOST_PERMISSIONS (server-settings.ts).
 */
const SYNC_SERVER_HOSTS = ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'];
/** What a reader grants at run time through a prompt no test can click: the tests' loopback server, downloads. */
const TEST_GRANTED_HOSTS = SYNC_SERVER_HOSTS.filter((pattern) => pattern.startsWith('http://'));
const TEST_GRANTED_PERMISSIONS = ['downloads'];

// See README "Architecture" for why each choice below was made.
export default defineConfig({
  // A separate output folder lets a benchmark or a second build run without
  // replacing the extension an end-to-end run is using.
  outDir: process.env.LH_OUT_DIR ?? (testHooks ? '.output/test' : '.output'),
  // MV3 for every browser, Firefox included (WXT would pick MV2 there): README "Firefox" says why.
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  hooks: {
    // Content scripts get the browser's own API object instead of
    // webextension-polyfill: what they use (sendMessage's promise, i18n,
    // runtime.id, a listener answering with sendResponse) is native in both
    // browsers, and the polyfill was ~4 KB gzip of every lesson page (budget 30 KB).
    'vite:build:extendConfig': (entrypoints, config) => {
      const onLessonPages = (entrypoint: (typeof entrypoints)[number]) => entrypoint.name === 'loader' || entrypoint.name === 'lesson';
      if (!entrypoints.every(onLessonPages)) return;
      const inherited = config.resolve?.alias;
      const rest = Array.isArray(inherited)
        ? inherited
        : Object.entries(inherited ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }));
      config.resolve = {
        ...config.resolve,
        alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...rest.filter((entry) => entry.find !== 'wxt/browser')],
      };
    },
  },
  vite: () => ({
    plugins: [preact()],
    define: { __LH_TEST_HOOKS__: JSON.stringify(testHooks) },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'unlimitedStorage', 'alarms', ...(testHooks ? TEST_GRANTED_PERMISSIONS : [])],
    host_permissions: ['*://time.geekbang.org/*', ...(testHooks ? TEST_GRANTED_HOSTS : [])],
    optional_host_permissions: SYNC_SERVER_HOSTS.filter((pattern) => !testHooks || !TEST_GRANTED_HOSTS.includes(pattern)),
    // Automatic backups to the Downloads folder are opt-in (issue #8): asked for when the reader turns them on.
    optional_permissions: testHooks ? [] : TEST_GRANTED_PERMISSIONS,
    // The toolbar button opens the review popup (entrypoints/popup); its tooltip follows the UI language.
    action: { default_title: '__MSG_extName__' },
    // The content script: a loader on every page of the site, registered here
    // rather than as a WXT content script (entrypoints/loader.ts says why).
    content_scripts: [{ matches: ['*://time.geekbang.org/*'], js: ['loader.js'], run_at: 'document_idle' }],
    // The lesson code, imported by the loader on lesson pages only.
    web_accessible_resources: [{ resources: ['lesson.js'], matches: ['*://time.geekbang.org/*'] }],
    // Firefox only: add-on id, minimum version, data collection (firefox-manifest.ts).
    ...(browser === 'firefox' ? { browser_specific_settings: firefoxSettings } : {}),
  }),
});
