/**
 * A burst of edits sent one after another from an extension page, as fast
 * as the background answers: creates, note edits, color changes, deletes,
 * restores and lesson notes, each recorded in the {@link EditModel} with
 * whether it was acknowledged.
 */
import type { Page } from 'playwright-core';
import type { Annotation } from '../../storage/model';
import { requestOf, type EditModel } from './edit-model';
import { sendFromPage } from './fault-harness';

export interface BurstOptions {
  page: Page;
  model: EditModel;
  random: () => number;
  /** Highlights whose lesson and target new highlights copy, so every one anchors on the lesson page. */
  templates: readonly Annotation[];
  /** How many edits to send (Infinity: until the page dies). */
  count: number;
  /** Numbers edits across bursts, so every note and create token is unique. */
  serial: { next: number };
  /** Runs right after edit `index` is sent, before its answer is awaited: where a fault is injected. */
  afterSend?: (index: number) => Promise<void>;
}

/**
 * Sends the burst. Answers how many edits were sent and whether it ended
 * because the page (the browser) went away; the edit in flight then counts
 * as not acknowledged, like any other that got no answer.
 */
export async function runBurst(options: BurstOptions): Promise<{ sent: number; pageGone: boolean }> {
  const { page, model, random, templates, count, serial, afterSend } = options;
  for (let index = 0; index < count; index++) {
    const edit = model.nextEdit(random, serial.next++, templates);
    const answer = sendFromPage(page, requestOf(edit));
    // The answer is awaited below; until then a rejection is not unhandled.
    answer.catch(() => undefined);
    await afterSend?.(index);
    const outcome = await answer.catch((error: unknown) => {
      if (!page.isClosed() && !/closed|crash/i.test(String(error))) throw error;
      return null;
    });
    if (outcome === null) {
      model.apply(edit, { acknowledged: false, reason: 'the browser went away' });
      return { sent: index + 1, pageGone: true };
    }
    model.apply(edit, outcome);
  }
  return { sent: count, pageGone: false };
}
