/**
 * Edits made the way a reader makes them, in the lesson page's own UI, with
 * a fault injected right after the click. The page acknowledges a highlight
 * by painting it and a note by saying "Saved"; when the background could not
 * store the edit, it must say so instead (an alert), and paint nothing.
 */
import type { Page } from 'playwright-core';
import { compact, noteCards, noteTextbox, pollUntil, selectForHighlight, selectionToolbar, type ColorName } from '../e2e/harness';
import { paintedRanges } from './fault-harness';

/** What the page showed after the edit: stored, or an error in words. */
export type PageOutcome = 'acknowledged' | 'refused';

/** How long the page may take to show either outcome on this slow machine. */
const OUTCOME_TIMEOUT_MS = 15_000;

/** Closes any error toast still on screen (its "Close" button), so the next edit's outcome is its own. */
async function dismissAlerts(page: Page): Promise<void> {
  const toasts = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Close', exact: true }) });
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('alert').first().waitFor({ state: 'detached', timeout: OUTCOME_TIMEOUT_MS });
}

/**
 * Selects `text`, clicks `color`, runs `inject` at once, and waits for the
 * page to paint the highlight or show an error. Never both: a refused
 * highlight must not be painted.
 */
export async function highlightUnderFault(page: Page, text: string, color: ColorName, inject: () => Promise<void>): Promise<PageOutcome> {
  await dismissAlerts(page);
  await selectForHighlight(page, text);
  const painted = `${color.toLowerCase()}|${compact(text)}`;
  await selectionToolbar(page).getByRole('button', { name: color, exact: true }).click();
  await inject();
  const outcome = await pollUntil(
    page,
    async (): Promise<PageOutcome | null> => {
      if ((await paintedRanges(page)).includes(painted)) return 'acknowledged';
      return (await page.getByRole('alert').count()) > 0 ? 'refused' : null;
    },
    (value) => value !== null,
    `“${text}” painted, or an error shown`,
    OUTCOME_TIMEOUT_MS,
  );
  if (outcome === 'refused' && (await paintedRanges(page)).includes(painted)) {
    throw new Error(`“${text}” is painted although the page said it could not be saved`);
  }
  await page.keyboard.press('Escape');
  return outcome!;
}

/**
 * Highlights `text` with a note through "Add note" (no fault while the
 * highlight is created), writes `note`, clicks Save, runs `inject` at once,
 * and waits for the outcome: Save closes the editor once the note is stored
 * (its card then shows the text), or keeps it open with an error. A refused
 * editor is closed with Esc, which saves once more.
 */
export async function noteUnderFault(page: Page, text: string, note: string, inject: () => Promise<void>): Promise<PageOutcome> {
  await dismissAlerts(page);
  await selectForHighlight(page, text);
  await selectionToolbar(page).getByRole('button', { name: 'Add note', exact: true }).click();
  const editor = noteTextbox(page);
  await editor.waitFor({ state: 'visible', timeout: OUTCOME_TIMEOUT_MS });
  await editor.fill(note);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await inject();
  const outcome = await pollUntil(
    page,
    async (): Promise<PageOutcome | null> => {
      if ((await page.getByRole('alert').count()) > 0) return 'refused';
      const closed = (await editor.count()) === 0;
      return closed && (await noteCards(page, note).count()) > 0 ? 'acknowledged' : null;
    },
    (value) => value !== null,
    `the note on “${text}” saved, or an error shown`,
    OUTCOME_TIMEOUT_MS,
  );
  if (outcome === 'refused') {
    await editor.press('Escape');
    await editor.waitFor({ state: 'hidden', timeout: OUTCOME_TIMEOUT_MS });
  }
  return outcome!;
}
