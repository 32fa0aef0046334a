/** The notes library (issue #4): the review UI on a full extension page. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { LibraryApp } from '../../components/LibraryApp';
import '../../components/review.css';
import { loadReviewStrings } from '../../components/review-strings';
import { createReviewClient, getMessage } from '../../storage/review-client';

const locale = browser.i18n.getUILanguage();
document.documentElement.lang = locale;
const strings = loadReviewStrings(getMessage, locale);
document.title = `${strings.libraryTitle} · ${strings.appName}`;
render(<LibraryApp backend={createReviewClient(document)} strings={strings} />, document.getElementById('app')!);
