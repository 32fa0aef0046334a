import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// See README "Architecture" for why each choice below was made.
export default defineConfig({
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
  },
});
