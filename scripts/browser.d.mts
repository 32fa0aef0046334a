/** Types for browser.mjs (finding a browser and starting it with the extension). */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** 'branded-chrome' is Google Chrome, which ignores --load-extension (137+). */
export type BrowserKind = 'chromium' | 'branded-chrome';

export interface FoundBrowser {
  path: string;
  kind: BrowserKind;
}

/**
 * The first browser found: $CHROME_PATH; /usr/lib/chromium/chromium, /usr/bin/chromium,
 * /usr/bin/chromium-browser; Chrome for Testing; Brave; Google Chrome. Null when none.
 */
export function findBrowser(where?: {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}): FoundBrowser | null;

/**
 * Flags that load the unpacked extension and map time.geekbang.org to 127.0.0.1.
 * With Playwright, leave out userDataDir and headless (Playwright passes its own).
 */
export function extensionLaunchArgs(options: {
  extensionDir: string;
  userDataDir?: string;
  headless?: boolean;
  /** Default 'chromium'. */
  kind?: BrowserKind;
}): string[];

export interface LaunchedBrowser {
  child: ChildProcess;
  /** DevTools protocol over the browser's pipe. */
  cdp: CdpPipe;
  /** Settles when the browser process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Quits the browser (SIGTERM, SIGKILL after 5 s) and kills any helper process left in its process group. */
  stop(): Promise<void>;
  /** The browser's last stderr lines, to explain a failure. */
  stderrTail(): string;
}

/** Starts the browser with the extension (over CDP for branded Chrome) and opens `url`. */
export function launchWithExtension(options: {
  browser: FoundBrowser;
  extensionDir: string;
  userDataDir: string;
  headless: boolean;
  url: string;
}): Promise<LaunchedBrowser>;

/** A minimal Chrome DevTools Protocol client over --remote-debugging-pipe; events are emitted by method name. */
export class CdpPipe extends EventEmitter {
  constructor(output: Writable, input: Readable);
  /** Resolves with the command's result (shape per the protocol docs). */
  send<Result = Record<string, unknown>>(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<Result>;
}
