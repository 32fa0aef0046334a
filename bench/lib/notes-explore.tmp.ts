import { writeFileSync } from 'node:fs';
import { launchWithExtension } from '../../tests/e2e/harness';
import { highlightSets } from '../generate-lesson';
import { generatedLessons } from './config';
import { annotationRecords, seedAnnotations } from './extension-session';
import { describeOnPage, injectBench, openLesson, passages, startBenchSite } from './lesson-pages';
import { VIEWPORT } from './browsers';
import { withNotes } from './notes-seed';
import { traceDuring } from './trace';

const lesson = generatedLessons(false).find((l) => l.spec.label === '100k')!;
const site = await startBenchSite([lesson], 30);
const browser = await launchWithExtension({ viewport: VIEWPORT });
try {
  const page = await browser.context.newPage();
  const cases = highlightSets(lesson, [200], { regions: ['body'] }).get(200)!;
  await openLesson(page, site, lesson, 1);
  await injectBench(page, lesson, 1);
  const { ours } = await describeOnPage(page, passages(cases, 1), ['ours']);
  const records = withNotes(annotationRecords(lesson, site, ours.map((t) => t!)), 1);
  await seedAnnotations(browser, records);
  let t = Date.now();
  const events = await traceDuring(browser.context, page, async () => {
    await page.reload();
    await page.waitForFunction(() => document.querySelector('lesson-highlighter-ui')?.shadowRoot?.querySelectorAll('[role=note]').length === 200, null, { timeout: 30000 });
    await page.waitForTimeout(1000);
  });
  console.log('cards after', Date.now() - t);
  writeFileSync('/tmp/notes-explore/restore.json', JSON.stringify(events));
  const resize = await traceDuring(browser.context, page, async () => {
    await page.setViewportSize({ width: 1444, height: 900 });
    await page.waitForTimeout(500);
  });
  writeFileSync('/tmp/notes-explore/resize.json', JSON.stringify(resize));
  const scroll = await traceDuring(browser.context, page, async () => {
    await page.evaluate(`new Promise((done) => {
      const el = document.querySelector('.simplebar-content-wrapper');
      let n = 0;
      const step = () => { el.scrollTop += 40; if (++n < 60) requestAnimationFrame(step); else done(); };
      requestAnimationFrame(step);
    })`);
    await page.waitForTimeout(200);
  });
  writeFileSync('/tmp/notes-explore/scroll.json', JSON.stringify(scroll));
  console.log(await page.evaluate(() => [document.querySelector('.simplebar-content-wrapper')!.scrollTop, (document.querySelector('lesson-highlighter-ui')!.shadowRoot!.querySelector('.margin-layer') as HTMLElement).style.transform]));
} finally {
  await browser.close();
  await site.close();
}
