// @ts-check
/**
 * `npm run demo`: serves the imitation GeekTime lesson site and opens a lesson
 * in a browser with the freshly built extension, on a throwaway profile.
 *
 *   node scripts/demo.mjs                     headed, until the browser closes or Ctrl+C
 *   node scripts/demo.mjs --headless --smoke  for tests: checks the extension's service
 *                                             worker starts and the lesson loads, then exits
 *   --extension=DIR                           another unpacked build (default .output/chrome-mv3)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLessonSite } from '../tests/fixtures/lesson-site/server.mjs';
import { findBrowser, launchWithExtension } from './browser.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PREFERRED_PORT = 5178;
const FIRST_LESSON = '100001';
const SMOKE_TIMEOUT_MS = 60_000;

/** A failure to report in one clear message, without a stack trace. */
class DemoError extends Error {}

const options = parseArgs(process.argv.slice(2));
main(options).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof DemoError ? error.message : error);
    process.exit(1);
  },
);

/** @param {{ headless: boolean, smoke: boolean, extension: string }} options */
async function main({ headless, smoke, extension }) {
  const extensionDir = path.resolve(ROOT, extension);
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new DemoError(
      `No built extension at ${extensionDir} (manifest.json missing).\n` +
        'Build it first: npm run build   (npm run demo builds and then starts this script)\n' +
        '未找到构建好的扩展，请先运行 npm run build。',
    );
  }
  const browser = findBrowser();
  if (!browser) {
    throw new DemoError(
      `No Chromium-family browser found${process.env.CHROME_PATH ? ` (CHROME_PATH=${process.env.CHROME_PATH} does not exist)` : ''}.\n` +
        'Install one (Debian/Ubuntu: sudo apt-get install chromium), or point CHROME_PATH at a\n' +
        'Chromium, Chrome for Testing, Brave or Google Chrome executable.\n' +
        '未找到浏览器：请安装 Chromium（apt-get install chromium），或设置 CHROME_PATH。',
    );
  }
  if (!headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new DemoError('No display to open a browser window on. Use --headless, or run under xvfb-run.\n没有可用的显示器。');
  }

  const site = await startSite();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'lesson-highlighter-demo-'));
  const url = site.lessonUrl(FIRST_LESSON);
  /** @type {Awaited<ReturnType<typeof launchWithExtension>> | undefined} */
  let launched;
  const cleanup = once(async () => {
    await launched?.stop();
    await site.close();
    await removeProfile(userDataDir);
  });
  // Exit codes as a shell reports a death by signal: 128 + its number.
  for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143]])) {
    process.once(signal, () => cleanup().finally(() => process.exit(code)));
  }

  try {
    launched = await launchWithExtension({ browser, extensionDir, userDataDir, headless, url });
    if (smoke) {
      const extensionId = await smokeCheck(launched, url);
      console.log(`demo smoke ok: extension ${extensionId} on ${url}`);
      return 0;
    }
    printInstructions(url, browser.path);
    await launched.exited;
    return 0;
  } finally {
    await cleanup();
  }
}

/** The lesson site on the usual port, or any free one when that is taken. */
async function startSite() {
  try {
    return await startLessonSite({ port: PREFERRED_PORT });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
    return startLessonSite({ port: 0 });
  }
}

/**
 * Waits (at most SMOKE_TIMEOUT_MS) for the extension's service worker and for
 * the lesson body to render; resolves with the extension id.
 * @param {Awaited<ReturnType<typeof launchWithExtension>>} launched
 * @param {string} url
 */
async function smokeCheck({ cdp, exited, stderrTail }, url) {
  const worker = waitForTarget(cdp, (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  const page = waitForTarget(cdp, (t) => t.type === 'page' && t.url.startsWith(url));
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  const check = Promise.all([worker, page]).then(async ([workerInfo, pageInfo]) => {
    await waitForLessonBody(cdp, pageInfo.targetId);
    return new URL(workerInfo.url).host;
  });
  /** @type {Promise<never>} */
  const browserDied = exited.then(({ code, signal }) => {
    throw new DemoError(`demo smoke failed: the browser exited early (${signal ?? code}).\n${stderrTail()}`);
  });
  /** @type {Promise<never>} */
  const timeout = new Promise((_, reject) => {
    setTimeout(() => {
      reject(new DemoError(`demo smoke failed: no extension service worker or lesson page after ${SMOKE_TIMEOUT_MS / 1000} s.\n${stderrTail()}`));
    }, SMOKE_TIMEOUT_MS).unref();
  });
  return Promise.race([check, browserDied, timeout]);
}

/**
 * @param {import('./browser.mjs').CdpPipe} cdp
 * @param {(info: { type: string, url: string, targetId: string }) => boolean} matches
 * @returns {Promise<{ type: string, url: string, targetId: string }>}
 */
function waitForTarget(cdp, matches) {
  return new Promise((resolve) => {
    /** @param {{ targetInfo: { type: string, url: string, targetId: string } }} event */
    const check = ({ targetInfo }) => {
      if (!matches(targetInfo)) return;
      cdp.off('Target.targetCreated', check).off('Target.targetInfoChanged', check);
      resolve(targetInfo);
    };
    cdp.on('Target.targetCreated', check).on('Target.targetInfoChanged', check);
  });
}

/**
 * Polls the page until the lesson body is on it (the site renders it late).
 * @param {import('./browser.mjs').CdpPipe} cdp
 * @param {string} targetId
 */
async function waitForLessonBody(cdp, targetId) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  const expression = `document.readyState === 'complete' && !!document.querySelector('[class*="Index_articleContent_"] [data-slate-editor]')`;
  for (;;) {
    const { result } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
    if (result.value === true) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Removes the temporary profile. The browser's helpers may still write a file
 * or two into it while they shut down, so it retries; a leftover temporary
 * folder is worth a warning, not a failed demo.
 * @param {string} userDataDir
 */
async function removeProfile(userDataDir) {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(userDataDir, { recursive: true, force: true });
      return;
    } catch (error) {
      if (attempt === 5) {
        console.warn(`Could not remove the temporary profile ${userDataDir}: ${/** @type {Error} */ (error).message}`);
        return;
      }
      await delay(200 * attempt);
    }
  }
}

/** @param {string} url @param {string} browserPath */
function printInstructions(url, browserPath) {
  console.log(`
划重点 Lesson Highlighter demo
  Lesson page / 课程页面: ${url}
  Browser / 浏览器: ${browserPath}, with a fresh temporary profile / 全新的临时配置
  time.geekbang.org points to this machine: nothing reaches the real site.
  time.geekbang.org 已指向本机，不会访问真实网站。

Try / 试一试:
  1. Select text in the lesson → a toolbar appears → pick a colour.
     在正文中选中文字 → 出现工具栏 → 选一种颜色。
  2. Click a highlight to add a note, change its colour or delete it.
     点击高亮，可以添加笔记、换颜色或删除。
  3. Reload the page: your highlights come back in place.
     刷新页面：高亮会回到原来的位置。
  Other lessons: the sidebar, 上一篇 / 下一篇, or the h / l keys.
  切换课程：左侧目录、上一篇 / 下一篇，或按 h / l 键。

Close the browser or press Ctrl+C to stop. / 关闭浏览器或按 Ctrl+C 结束。
`);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const options = { headless: false, smoke: false, extension: '.output/chrome-mv3' };
  for (const arg of argv) {
    if (arg === '--headless') options.headless = true;
    else if (arg === '--smoke') options.smoke = true;
    else if (arg.startsWith('--extension=')) options.extension = arg.slice('--extension='.length);
    else {
      console.error(`Unknown option: ${arg}\nUsage: node scripts/demo.mjs [--headless] [--smoke] [--extension=DIR]`);
      process.exit(2);
    }
  }
  return options;
}

/**
 * @template T
 * @param {() => Promise<T>} run
 * @returns {() => Promise<T>} runs `run` the first time, then returns that same promise
 */
function once(run) {
  /** @type {Promise<T> | undefined} */
  let running;
  return () => (running ??= run());
}

/** @param {number} ms */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
