/**
 * Sends a typed request to the background. Used by the content script, popup
 * and library; contains no database or validation code.
 */
import { browser } from 'wxt/browser';
import type { Request, ResponseValues, Result } from './protocol';

/** Sends `request` and resolves to the background's {@link Result}; never throws. */
export async function sendRequest<T extends Request>(
  request: T,
): Promise<Result<ResponseValues[T['type']]>> {
  try {
    const reply = (await browser.runtime.sendMessage(request)) as
      | Result<ResponseValues[T['type']]>
      | undefined;
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      return { ok: false, error: 'No answer from the extension background.' };
    }
    return reply;
  } catch (error) {
    return { ok: false, error: `Could not reach the extension background: ${String(error)}` };
  }
}
