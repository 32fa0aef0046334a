/**
 * The lesson code, as a web-accessible script the content script imports on
 * the first lesson page it sees (entrypoints/loader.ts): pages of the
 * site that are not lessons never load, parse or run it.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startLessonHighlighter } from './content/lesson-main';

export default defineUnlistedScript(() => startLessonHighlighter());
