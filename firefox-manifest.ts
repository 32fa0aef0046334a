/**
 * What only the Firefox build's manifest says (issue #7); `wxt.config.ts`
 * adds it when building with `-b firefox`. See README "Firefox" for why MV3
 * and why this minimum version.
 */
import type { UserManifest } from 'wxt';

/**
 * Our add-on id. Fixed, because `storage.sync` and `storage.local` are keyed
 * by it, addons.mozilla.org ties updates to it, and the end-to-end tests give
 * it a known moz-extension UUID (tests/e2e/firefox-harness.ts).
 */
export const GECKO_ID = 'lesson-highlighter@huazhongdian';

/**
 * Firefox 140 (the ESR line since mid-2025) is the first with everything we
 * rely on: the CSS Custom Highlight API, also from content scripts (140);
 * `data_collection_permissions` (140); MV3 host permissions granted at
 * install (127); `storage.session` (115). The Navigation API is newer, and
 * page/location-watcher.ts falls back to a MutationObserver without it.
 */
export const FIREFOX_MIN_VERSION = '140.0';

/** Firefox for Android learnt `data_collection_permissions` later (142). */
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

/** `browser_specific_settings` for the Firefox manifest. */
export const firefoxSettings: NonNullable<UserManifest['browser_specific_settings']> = {
  gecko: {
    id: GECKO_ID,
    strict_min_version: FIREFOX_MIN_VERSION,
    // Nothing is sent to us or to anyone else. Sync to a reader's own server
    // (issue #5) moves highlights out of the browser: before it ships on AMO
    // it declares its data types here as `optional` and asks for them first.
    data_collection_permissions: { required: ['none'] },
  },
  gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
};
