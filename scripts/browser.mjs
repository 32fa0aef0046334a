// @ts-check
/**
 * Finding a Chromium-family browser and starting it with our unpacked
 * extension, for `npm run demo` and the e2e tests. Plain Node, no
 * dependencies: the browser is driven over Chrome's DevTools protocol on a
 * pipe (fds 3 and 4, NUL-terminated JSON messages).
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** @typedef {import('./browser.d.mts').FoundBrowser} FoundBrowser */
/** @typedef {import('./browser.d.mts').BrowserKind} BrowserKind */

/** The page's own host; the lesson site serves it on loopback. */
const SITE_HOST = 'time.geekbang.org';
const BROWSER_EXIT_GRACE_MS = 5_000;

/**
 * The first browser found, in this order: $CHROME_PATH (when it exists); Debian/Ubuntu
 * Chromium; Chrome for Testing; Brave; Google Chrome (Linux, macOS, Windows
 * standard paths). Null when there is none.
 * @param {{ env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform, exists?: (file: string) => boolean }} [where]
 * @returns {FoundBrowser | null}
 */
export function findBrowser({ env = process.env, platform = process.platform, exists = existsSync } = {}) {
  if (env.CHROME_PATH && exists(env.CHROME_PATH)) return { path: env.CHROME_PATH, kind: kindOf(env.CHROME_PATH) };
  for (const [kind, file] of candidates(env, platform)) {
    if (exists(file)) return { path: file, kind };
  }
  return null;
}

/**
 * Branded Google Chrome (137+) ignores --load-extension; everything else
 * (Chromium, Chrome for Testing, Brave, ...) still honours it.
 * @param {string} file
 * @returns {BrowserKind}
 */
function kindOf(file) {
  const name = file.toLowerCase();
  const google = name.includes('google-chrome') || name.includes('google chrome') || /google[\\/]chrome[\\/]/.test(name);
  return google && !name.includes('for testing') ? 'branded-chrome' : 'chromium';
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {NodeJS.Platform} platform
 * @returns {[BrowserKind, string][]}
 */
function candidates(env, platform) {
  const home = os.homedir();
  const chromium = /** @type {const} */ ('chromium');
  const branded = /** @type {const} */ ('branded-chrome');
  if (platform === 'darwin') {
    return [
      [chromium, '/Applications/Chromium.app/Contents/MacOS/Chromium'],
      [chromium, '/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'],
      ...chromeForTesting(home, 'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'),
      [chromium, '/Applications/Brave Browser.app/Contents/MacOS/Brave Browser'],
      [branded, '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((root) => root !== undefined);
    return [
      ...roots.map((root) => /** @type {[BrowserKind, string]} */ ([chromium, path.win32.join(root, 'Chromium', 'Application', 'chrome.exe')])),
      ...chromeForTesting(home, 'chrome.exe'),
      ...roots.map((root) => /** @type {[BrowserKind, string]} */ ([chromium, path.win32.join(root, 'BraveSoftware', 'Brave-Browser', 'Application', 'brave.exe')])),
      ...roots.map((root) => /** @type {[BrowserKind, string]} */ ([branded, path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')])),
    ];
  }
  return [
    [chromium, '/usr/lib/chromium/chromium'],
    [chromium, '/usr/bin/chromium'],
    [chromium, '/usr/bin/chromium-browser'],
    ...chromeForTesting(home, 'chrome'),
    [chromium, '/usr/bin/brave-browser'],
    [chromium, '/opt/brave.com/brave/brave'],
    [branded, '/usr/bin/google-chrome'],
    [branded, '/usr/bin/google-chrome-stable'],
    [branded, '/opt/google/chrome/chrome'],
  ];
}

/**
 * Chrome for Testing as `npx @puppeteer/browsers install chrome` leaves it:
 * ~/.cache/puppeteer/chrome/<platform>-<version>/chrome-<platform>/<binary>.
 * @param {string} home
 * @param {string} binary
 * @returns {[BrowserKind, string][]}
 */
function chromeForTesting(home, binary) {
  const cache = path.join(home, '.cache', 'puppeteer', 'chrome');
  /** @param {string} dir */
  const subdirs = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name)) : []);
  return subdirs(cache)
    .sort()
    .reverse() // newest version first
    .flatMap((versionDir) => subdirs(versionDir).map((dir) => /** @type {[BrowserKind, string]} */ (['chromium', path.join(dir, binary)])));
}

/**
 * Command-line flags that start the browser with our unpacked extension and
 * time.geekbang.org mapped to 127.0.0.1. Playwright users: leave out
 * userDataDir and headless (Playwright passes its own).
 * @param {{ extensionDir: string, userDataDir?: string, headless?: boolean, kind?: BrowserKind }} options
 */
export function extensionLaunchArgs({ extensionDir, userDataDir, headless = false, kind = 'chromium' }) {
  const args = [];
  if (userDataDir) args.push(`--user-data-dir=${userDataDir}`);
  if (kind === 'chromium') {
    args.push(`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`);
  } else {
    // Branded Chrome loads unpacked extensions only through CDP (Extensions.loadUnpacked).
    args.push('--remote-debugging-pipe', '--enable-unsafe-extension-debugging');
  }
  // Chromium refuses to start as root with its sandbox on.
  if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
  args.push(
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    // Without these, a browser on a closed network keeps dialling Google's hosts.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--host-resolver-rules=MAP ${SITE_HOST} 127.0.0.1`,
  );
  if (headless) args.push('--headless=new');
  return args;
}

/**
 * Starts the browser with the extension and opens `url`, keeping a CDP
 * connection on a pipe. For branded Chrome the extension is loaded over CDP
 * first and the page opened after, so its content script runs on it.
 * @param {{ browser: FoundBrowser, extensionDir: string, userDataDir: string, headless: boolean, url: string }} options
 */
export async function launchWithExtension({ browser, extensionDir, userDataDir, headless, url }) {
  const args = extensionLaunchArgs({ extensionDir, userDataDir, headless, kind: browser.kind });
  if (browser.kind === 'chromium') args.push('--remote-debugging-pipe', url);
  // Its own process group (POSIX), so stop() can sweep up helper processes that outlive the main one.
  const ownGroup = process.platform !== 'win32';
  const child = spawn(browser.path, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: ownGroup });
  /** The browser's last stderr lines, to explain a failure. */
  const stderrLines = /** @type {string[]} */ ([]);
  child.stderr?.setEncoding('utf8').on('data', (chunk) => {
    stderrLines.push(...String(chunk).split('\n').filter(Boolean));
    stderrLines.splice(0, Math.max(0, stderrLines.length - 30));
  });
  const cdp = new CdpPipe(
    /** @type {import('node:stream').Writable} */ (child.stdio[3]),
    /** @type {import('node:stream').Readable} */ (child.stdio[4]),
  );
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  /** Asks the browser to quit, kills it after a grace period, then kills what is left of its process group. */
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), BROWSER_EXIT_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    if (ownGroup && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error) {
        if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ESRCH') throw error; // ESRCH: nothing left
      }
    }
  };
  if (browser.kind === 'branded-chrome') {
    await openWithUnpackedExtension(cdp, extensionDir, url).catch(async (error) => {
      await stop();
      throw error;
    });
  }
  return { child, cdp, exited, stop, stderrTail: () => stderrLines.join('\n') };
}

/**
 * Branded Chrome: loads the extension over CDP, then opens the lesson in a
 * tab that replaces the new-tab page Chrome opened at start.
 * @param {CdpPipe} cdp
 * @param {string} extensionDir
 * @param {string} url
 */
async function openWithUnpackedExtension(cdp, extensionDir, url) {
  await cdp.send('Extensions.loadUnpacked', { path: extensionDir });
  const lessonTab = await cdp.send('Target.createTarget', { url });
  const { targetInfos } = await cdp.send('Target.getTargets');
  for (const { type, url: tabUrl, targetId } of targetInfos) {
    if (type === 'page' && targetId !== lessonTab.targetId && tabUrl.startsWith('chrome://')) {
      await cdp.send('Target.closeTarget', { targetId });
    }
  }
}

/** A minimal Chrome DevTools Protocol client over --remote-debugging-pipe. */
export class CdpPipe extends EventEmitter {
  #nextId = 1;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void, method: string }>} */
  #pending = new Map();
  #buffer = '';
  #output;

  /**
   * @param {import('node:stream').Writable} output the browser's fd 3 (it reads commands there)
   * @param {import('node:stream').Readable} input the browser's fd 4 (it writes answers and events there)
   */
  constructor(output, input) {
    super();
    this.#output = output;
    input.setEncoding('utf8');
    input.on('data', (chunk) => this.#receive(String(chunk)));
    input.on('close', () => this.#failAll(new Error('browser closed the DevTools pipe')));
    output.on('error', (error) => this.#failAll(error));
  }

  /**
   * Sends a command; resolves with its result, rejects with the protocol's error.
   * @param {string} method
   * @param {Record<string, unknown>} [params]
   * @param {string} [sessionId] for a target attached with `flatten: true`
   * @returns {Promise<any>} the command's result (untyped protocol JSON)
   */
  send(method, params = {}, sessionId) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#output.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  /** @param {string} chunk */
  #receive(chunk) {
    const parts = (this.#buffer + chunk).split('\0');
    this.#buffer = parts.pop() ?? '';
    for (const part of parts) {
      const message = JSON.parse(part);
      const waiting = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (waiting) {
        this.#pending.delete(message.id);
        if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
        else waiting.resolve(message.result);
      } else if (message.method) {
        this.emit(message.method, message.params, message.sessionId);
      }
    }
  }

  /** @param {Error} error */
  #failAll(error) {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}
