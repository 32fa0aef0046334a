/**
 * The extension's one logger: warnings go to the console of the context that
 * logs them (background, page, content script) in development and test
 * builds, and nowhere in production builds, where readers see errors in words
 * in the UI instead.
 */

/** Whether this build logs; Vite replaces `import.meta.env.PROD` at build time. */
const enabled = !import.meta.env.PROD;

/** Logs something that went wrong but needs no reader's attention (e.g. a badge not updated). */
export function logWarning(message: string, error?: unknown): void {
  if (enabled) console.warn(`[lesson-highlighter] ${message}`, ...(error === undefined ? [] : [error]));
}
